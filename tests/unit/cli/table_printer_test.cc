#include "kernel/cli/table_printer.h"

#include <gtest/gtest.h>

namespace berth::cli {
namespace {

JsonDoc Table() {
  auto d = ParseJson(R"({"kind":"Table","apiVersion":"meta.k8s.io/v1",
    "columnDefinitions":[
      {"name":"Name","type":"string","priority":0},
      {"name":"Ready","type":"string","priority":0},
      {"name":"Restarts","type":"integer","priority":0},
      {"name":"IP","type":"string","priority":1},
      {"name":"Age","type":"string","priority":0}],
    "rows":[
      {"cells":["hello-pod","0/1",0,"<none>","5s"],
       "object":{"metadata":{"name":"hello-pod","namespace":"default"}}},
      {"cells":["a","1/1",12,"10.0.0.1","3d"],
       "object":{"metadata":{"name":"a","namespace":"kube-system"}}}]})");
  EXPECT_TRUE(d.ok());
  return std::move(d).value();
}

// Go's tabwriter as kubectl sets it up: minimum width 6, padding 3.
TEST(TablePrinterTest, AlignsLikeKubectl) {
  TablePrinter p(false, false);
  p.Add(Table());
  EXPECT_EQ(p.Render(),
            "NAME        READY   RESTARTS   AGE\n"
            "hello-pod   0/1     0          5s\n"
            "a           1/1     12         3d\n");
}

TEST(TablePrinterTest, WideAddsPriorityColumnsAndNamespacesComeFirst) {
  TablePrinter p(true, true);
  p.Add(Table());
  EXPECT_EQ(p.Render(),
            "NAMESPACE     NAME        READY   RESTARTS   IP         AGE\n"
            "default       hello-pod   0/1     0          <none>     5s\n"
            "kube-system   a           1/1     12         10.0.0.1   3d\n");
}

TEST(TablePrinterTest, KindPrefixAndEmpty) {
  TablePrinter p(false, false, "pod/");
  EXPECT_EQ(p.Render(), "");
  p.Add(Table());
  EXPECT_EQ(p.rows(), 2u);
  EXPECT_NE(p.Render().find("pod/hello-pod   0/1"), std::string::npos);
}

}  // namespace
}  // namespace berth::cli

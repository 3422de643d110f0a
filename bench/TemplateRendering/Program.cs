using BenchmarkDotNet.Running;
using Send.Bench.TemplateRendering;

BenchmarkRunner.Run<ReceiptRendering>(args: args);

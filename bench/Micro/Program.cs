using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Gateway.Bench.ParserBenchmarks).Assembly).Run(args);

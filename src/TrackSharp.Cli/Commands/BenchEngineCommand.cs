using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

public sealed class BenchEngineSettings : BenchSettings
{
}

/// <summary><c>tracksharp bench engine</c>: raw TorchSharp/libtorch CPU speed on this machine.</summary>
[Description("Measure the tensor backend: sgemm and conv2d GFLOPS, per-op overhead.")]
public sealed class BenchEngineCommand(IAnsiConsole console) : Command<BenchEngineSettings>
{
    public override int Execute(CommandContext context, BenchEngineSettings settings, CancellationToken cancellation)
    {
        var result = EngineBenchmark.Run(settings.Threads > 0 ? settings.Threads : null, settings.Quick,
            stage => Log.Debug("measuring {Stage}", stage));

        var table = new Table().Title("bench engine").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned())
            .AddColumn("unit");
        table.AddRow($"sgemm {EngineBenchmark.GemmSize}x{EngineBenchmark.GemmSize} float32", F(result.SgemmGflops, "F1"), "GFLOPS");
        table.AddRow($"conv2d 3x3, 1x{EngineBenchmark.ConvChannels}x{EngineBenchmark.ConvSize}x{EngineBenchmark.ConvSize} -> {EngineBenchmark.ConvChannels}",
            F(result.Conv2dGflops, "F1"), "GFLOPS");
        table.AddRow("tiny op (1-element add)", F(result.TinyOpMicroseconds, "F2"), "µs/op");
        table.AddRow("threads", result.Threads.ToString(CultureInfo.InvariantCulture), "");
        table.AddRow("TorchSharp", Markup.Escape(result.TorchSharpVersion), "");
        table.AddRow("libtorch", Markup.Escape(result.LibTorchVersion), "");
        console.Write(table);
        if (result.Quick) console.MarkupLine("[grey]--quick: few repeats, figures are indicative only[/]");

        if (settings.Json is { } json) JsonOutput.Write(json, result);
        return ExitCodes.Success;
    }

}

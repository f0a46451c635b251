using System.ComponentModel;
using System.Globalization;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using static TrackSharp.Cli.Infrastructure.Invariant;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Pysot;
using TrackSharp.Evaluation.Runs;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Commands;

/// <summary><c>tracksharp eval</c>: one-pass evaluation of a tracker on a benchmark (the library's <see cref="OpeRunner"/>).</summary>
[Description("Evaluate a tracker on a benchmark. One-pass (--protocol ope, the default except for vot): init on frame 0 with " +
             "the first ground-truth box, write the results in the pysot/pytracking layout (and GOT-10k's for got10k-val), " +
             "print pysot's success AUC and precision@20. got10k-val/got10k-test: the GOT-10k toolkit's layout, three repetitions " +
             "unless the tracker is deterministic; trackingnet and got10k-test: also the evaluation server's zip; test splits are not scored here. VOT (--protocol reset, the default for vot): pysot's supervised " +
             "loop (re-initialise 5 frames after every failure), the baseline layout, pysot's accuracy, robustness, lost " +
             "number and EAO. Both resume an interrupted run.")]
public sealed class EvalCommand(IAnsiConsole console) : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellation)
    {
        var benchmark = BenchmarkDataset.Parse(settings.Dataset!);
        var dataset = DatasetReader.Open(settings.Data!, benchmark.Format);
        var options = new OpeRunOptions
        {
            TrackerName = settings.Tracker!,
            TrackerOptions = new TrackerOptions
            {
                Version = settings.ModelVersion,
                WeightsPath = settings.Weights,
                Threads = settings.Threads,
            },
            OutputDirectory = settings.Out!,
            Sequences = settings.SequenceNames,
            Parallel = settings.Parallel,
            MaxFrames = settings.MaxFrames,
            Overwrite = settings.Overwrite,
            Cancellation = cancellation,
        };
        if (settings.EffectiveProtocol == "reset")
            return EvalVotReset.Execute(console, settings, benchmark, dataset, options);
        var plan = OpeRunner.Plan(benchmark, dataset, options);
        EvalOutput.AnnounceResumed(console, plan.Sequences.Count, plan.SequencesToTrack, plan.Layout.TrackerFolder);
        Log.Information("eval {Tracker} on {Dataset} ({Count} sequences, {Frames} frames to track, {Parallel} worker(s))",
            plan.Tracker, dataset.Root, plan.Sequences.Count, plan.FramesToTrack, settings.Parallel);

        int toTrack = plan.SequencesToTrack;
        var summary = EvalOutput.RunWithProgress(console,
            done => $"{plan.Tracker} on {benchmark.Name}: {done}/{toTrack} sequences", plan.FramesToTrack,
            (frameDone, sequenceDone) => OpeRunner.Run(plan, options with
            {
                FrameDone = frameDone,
                SequenceDone = r => sequenceDone(r.Resumed),
                Warning = w => Log.Warning("{Warning}", w),
            }));

        Report(summary);
        if (settings.Json is { } json) JsonOutput.Write(json, EvalJson.From(summary));
        EvalOutput.ThrowIfAnyFailed(summary.Failures);
        return ExitCodes.Success;
    }

    private void Report(OpeRunSummary summary)
    {
        EvalOutput.PrintWarningsAndFailures(console, summary.Sequences.SelectMany(s => s.Warnings), summary.Failures);
        if (summary.Sequences.Count == 0) return;

        var table = new Table()
            .Title(Markup.Escape($"{summary.Tracker} on {summary.Benchmark} (pysot OPE)"))
            .AddColumn("sequence").AddColumn(new TableColumn("frames").RightAligned())
            .AddColumn(new TableColumn("FPS").RightAligned()).AddColumn(new TableColumn("success AUC").RightAligned())
            .AddColumn(new TableColumn("precision@20").RightAligned());
        foreach (var s in summary.Sequences)
            table.AddRow(Markup.Escape(s.Name + (s.Resumed ? " (resumed)" : "")), s.Frames.ToString(CultureInfo.InvariantCulture),
                F(s.Fps, "F1"), s.Metrics is { } m ? F(m.Auc, "F3") : "-", s.Metrics is { } p ? F(p.Precision, "F3") : "-");
        var o = summary.Overall;
        table.AddRow("[bold]mean[/]", summary.Sequences.Sum(s => s.Frames).ToString(CultureInfo.InvariantCulture),
            F(summary.MeanFps, "F1"), o is null ? "-" : $"[bold]{F(o.Auc, "F3")}[/]", o is null ? "-" : $"[bold]{F(o.Precision, "F3")}[/]");
        console.Write(table);
        if (summary.Sequences.Any(s => s.Metrics is null))
            console.MarkupLine(Markup.Escape($"{summary.Sequences.Count(s => s.Metrics is null)} sequence(s) have a first-frame box only " +
                                             "(test split): not scored here, the benchmark's evaluation server scores them"));
        console.MarkupLine(Markup.Escape($"results in {summary.ResultFolder}"));
        string server = summary.Benchmark == "trackingnet" ? "TrackingNet" : "GOT-10k";
        if (summary.Submission is { } zip) console.MarkupLine(Markup.Escape($"{server} submission: {zip}"));
        else if (summary.Benchmark is "trackingnet" or "got10k-test")
            console.MarkupLine(Markup.Escape($"no {server} submission zip: {summary.Failures.Count} sequence(s) failed; fix them and run again (finished ones are kept)"));
    }

}

/// <summary>The <c>--json</c> document of <c>eval</c>: every number per sequence and overall, with the curves and
/// their thresholds (pysot: success IoU &gt; t for t in 0, 0.05, ..., 1; precision distance &lt;= t px for t in 0..50;
/// normalised precision &lt;= t for t in 0, 0.01, ..., 0.5).</summary>
public sealed record EvalJson(
    string Tracker,
    string Dataset,
    string Data,
    string Results,
    string Protocol,
    int? MaxFrames,
    EvalJson.Thresholds CurveThresholds,
    IReadOnlyList<EvalJson.Sequence> Sequences,
    EvalJson.Mean? Overall,
    IReadOnlyList<EvalJson.Failure> Failures,
    string? Submission = null)
{
    public sealed record Thresholds(IReadOnlyList<double> Success, IReadOnlyList<double> Precision, IReadOnlyList<double> NormPrecision);

    public sealed record Sequence(
        string Name, int Frames, double Fps, bool Resumed, double? SuccessAuc, double? Precision20, double? NormPrecision20,
        IReadOnlyList<double>? SuccessCurve, IReadOnlyList<double>? PrecisionCurve, IReadOnlyList<double>? NormPrecisionCurve,
        IReadOnlyList<string> Files, IReadOnlyList<string> Warnings);

    public sealed record Mean(
        int Sequences, int Frames, double Fps, double SuccessAuc, double Precision20, double NormPrecision20,
        IReadOnlyList<double> SuccessCurve, IReadOnlyList<double> PrecisionCurve, IReadOnlyList<double> NormPrecisionCurve);

    public sealed record Failure(string Name, string Message);

    public static EvalJson From(OpeRunSummary s) => new(
        s.Tracker, s.Benchmark, s.DataPath, s.ResultFolder, "pysot", s.MaxFrames,
        new Thresholds(PysotThresholds.Success, PysotThresholds.Precision, PysotThresholds.NormPrecision),
        s.Sequences.Select(q => new Sequence(q.Name, q.Frames, q.Fps, q.Resumed, q.Metrics?.Auc, q.Metrics?.Precision,
            q.Metrics?.NormPrecision, q.Metrics?.SuccessCurve, q.Metrics?.PrecisionCurve, q.Metrics?.NormPrecisionCurve,
            q.Files, q.Warnings)).ToList(),
        s.Overall is { } o
            ? new Mean(s.Sequences.Count(q => q.Metrics is not null), s.Sequences.Sum(q => q.Frames), s.MeanFps, o.Auc, o.Precision, o.NormPrecision,
                o.SuccessCurve, o.PrecisionCurve, o.NormPrecisionCurve)
            : null,
        s.Failures.Select(f => new Failure(f.Name, f.Message)).ToList(),
        s.Submission);
}

using System.Globalization;
using Serilog;
using Spectre.Console;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Data.Datasets;
using TrackSharp.Evaluation.Runs;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

/// <summary><c>tracksharp eval --protocol reset</c> (the default for <c>--dataset vot</c>): the library's
/// <see cref="VotRunner"/>, a table of pysot's VOT numbers and the <c>--json</c> document.</summary>
internal static class EvalVotReset
{
    public static int Execute(IAnsiConsole console, EvalSettings settings, BenchmarkDataset benchmark, ISequenceDataset dataset,
        OpeRunOptions options)
    {
        var plan = VotRunner.Plan(benchmark, dataset, options, settings.EaoWindow);
        EvalOutput.AnnounceResumed(console, plan.Sequences.Count, plan.SequencesToTrack, plan.Layout.TrackerFolder);
        Log.Information("eval {Tracker} on {Dataset}, reset protocol ({Count} sequences, {Frames} frames to run, {Parallel} worker(s))",
            plan.Tracker, dataset.Root, plan.Sequences.Count, plan.FramesToTrack, settings.Parallel);

        int toTrack = plan.SequencesToTrack;
        var summary = EvalOutput.RunWithProgress(console,
            done => $"{plan.Tracker} on {benchmark.Name} (reset): {done}/{toTrack} sequences", plan.FramesToTrack,
            (frameDone, sequenceDone) => VotRunner.Run(plan, options with
            {
                FrameDone = frameDone,
                Warning = w => Log.Warning("{Warning}", w),
            }, r => sequenceDone(r.Resumed)));

        Report(console, summary);
        if (settings.Json is { } json) JsonOutput.Write(json, EvalVotJson.From(summary));
        EvalOutput.ThrowIfAnyFailed(summary.Failures);
        return ExitCodes.Success;
    }

    private static void Report(IAnsiConsole console, VotRunSummary summary)
    {
        EvalOutput.PrintWarningsAndFailures(console, summary.Sequences.SelectMany(s => s.Warnings), summary.Failures);
        if (summary.Sequences.Count == 0 || summary.AccuracyRobustness is not { } ar) return;

        var table = new Table()
            .Title(Markup.Escape($"{summary.Tracker} on {summary.Benchmark} (pysot VOT, reset protocol)"))
            .AddColumn("sequence").AddColumn(new TableColumn("frames").RightAligned())
            .AddColumn(new TableColumn("FPS").RightAligned()).AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn("failures").RightAligned());
        foreach (var s in summary.Sequences)
            table.AddRow(Markup.Escape(s.Name + (s.Resumed ? " (resumed)" : "")), I(s.Frames), F(s.Fps, "F1"),
                F(s.Accuracy.Accuracy, "F3"), I(s.Failures));
        table.AddRow("[bold]all[/]", I(ar.TotalLength), F(summary.MeanFps, "F1"), $"[bold]{F(ar.Accuracy, "F3")}[/]",
            $"[bold]{F(ar.LostNumber, "0.##")}[/]");
        console.Write(table);
        string eao = summary.Eao is { } e && double.IsFinite(e.Eao)
            ? F(e.Eao, "F3")
            : $"n/a (no sequence reaches the window's start, {summary.Window.Low} frames)";
        console.MarkupLine(Markup.Escape(
            $"accuracy {F(ar.Accuracy, "F3")}  robustness {F(ar.Robustness, "F3")} (failures per 100 frames)  " +
            $"lost number {F(ar.LostNumber, "0.##")}  EAO ({summary.Window.Dataset} window {summary.Window.Low}-{summary.Window.High}) {eao}"));
        console.MarkupLine(Markup.Escape($"results in {summary.ResultFolder}"));
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The <c>--json</c> document of <c>eval --protocol reset</c>: pysot's VOT numbers (accuracy: burn-in 10, bound
/// (W, H), frames pooled; robustness: failures per 100 frames; EAO: skipping 5, bound (W-1, H-1), the window's mean of
/// the expected-overlap curve, NaN when no sequence is long enough), per sequence and overall, with the curve.</summary>
public sealed record EvalVotJson(
    string Tracker,
    string Dataset,
    string Data,
    string Results,
    string Protocol,
    int? MaxFrames,
    EvalVotJson.EaoWindowJson EaoWindow,
    IReadOnlyList<EvalVotJson.Sequence> Sequences,
    EvalVotJson.Totals? Overall,
    IReadOnlyList<EvalJson.Failure> Failures)
{
    public sealed record EaoWindowJson(string Dataset, int Low, int High);

    public sealed record Sequence(
        string Name, int Frames, int Width, int Height, double Fps, bool Resumed, double Accuracy, int FramesInAccuracy,
        int Failures, IReadOnlyList<string> Files, IReadOnlyList<string> Warnings);

    public sealed record Totals(
        int Sequences, int Frames, double Fps, double Accuracy, double Robustness, double LostNumber, double Eao,
        IReadOnlyList<float> ExpectedOverlaps);

    public static EvalVotJson From(VotRunSummary s) => new(
        s.Tracker, s.Benchmark, s.DataPath, s.ResultsRoot, "reset (pysot VOT baseline)", s.MaxFrames,
        new EaoWindowJson(s.Window.Dataset, s.Window.Low, s.Window.High),
        s.Sequences.Select(q => new Sequence(q.Name, q.Frames, q.Width, q.Height, q.Fps, q.Resumed, q.Accuracy.Accuracy,
            q.Accuracy.FramesInAccuracy, q.Failures, q.Files, q.Warnings)).ToList(),
        s.AccuracyRobustness is { } ar
            ? new Totals(s.Sequences.Count, ar.TotalLength, s.MeanFps, ar.Accuracy, ar.Robustness, ar.LostNumber,
                s.Eao?.Eao ?? double.NaN, s.Eao?.ExpectedOverlaps ?? [])
            : null,
        s.Failures.Select(f => new EvalJson.Failure(f.Name, f.Message)).ToList());
}

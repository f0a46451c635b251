using System.ComponentModel;
using System.Diagnostics;
using OpenCvSharp;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Detection.Fcos;
using static TrackSharp.Cli.Infrastructure.Invariant;

namespace TrackSharp.Cli.Commands;

/// <summary>Options of <c>bench fcos</c>.</summary>
public sealed class BenchFcosSettings : BenchSettings
{
    [CommandOption("--exact")]
    [Description("Run FrozenBatchNorm after each conv as the reference does instead of folding it into the conv (slower).")]
    public bool Exact { get; init; }

    [CommandOption("--nchw")]
    [Description("Keep the NCHW layout instead of running the network channels-last.")]
    public bool Nchw { get; init; }

    [CommandOption("--images <N>")]
    [Description("Timed images after one warm-up image (default 3, 1 with --quick).")]
    public int? Images { get; init; }

    public override ValidationResult Validate() =>
        base.Validate() is { Successful: false } failed ? failed
        : Images is < 1 ? ValidationResult.Error($"--images must be at least 1, got {Images}")
        : ValidationResult.Success();
}

/// <summary>The JSON of <c>bench fcos</c>.</summary>
public sealed record FcosBenchReport(string Model, bool FoldedBatchNorm, bool ChannelsLast, int Threads, int Height, int Width, int Images, double SPerImage,
    double MinSPerImage, IReadOnlyList<double> Seconds, double CpuSPerImage, double ReferenceSPerImage, double Ratio, bool GoalMet, bool RandomInit);

/// <summary><c>tracksharp bench fcos</c>: seconds per 800x1333 image for the full-width FCOS imprv R-50-FPN.</summary>
[Description("Measure FCOS R-50-FPN (imprv, random weights) inference on an 800x1333 image: preprocessing, forward and " +
             "post-processing, seconds per image, against the reference (maskrcnn-benchmark, 2 threads: 5.29 s; goal <= 0.8x).")]
public sealed class BenchFcosCommand(IAnsiConsole console) : Command<BenchFcosSettings>
{
    /// <summary>The reference's figure on this machine kind (golden/fcos_small/README.md, Provenance).</summary>
    public const double ReferenceSPerImage = 5.29;
    public const double Goal = 0.8;

    public override int Execute(CommandContext context, BenchFcosSettings settings, CancellationToken cancellation)
    {
        int threads = settings.Threads == 0 ? 2 : settings.Threads;
        int n = settings.Images ?? (settings.Quick ? 1 : 3);
        TorchSharp.torch.set_num_threads(threads);
        TorchSharp.torch.manual_seed(0);
        var options = new FcosModelOptions { NormRegTargets = true, CenternessOnReg = true, CenterSamplingRadius = 1.5, IouLossType = "giou" };
        using var detector = new FcosDetector(new FcosModel(options) { FoldFrozenBatchNorm = !settings.Exact })
            { ChannelsLastInput = !settings.Nchw };
        using var image = new Mat(800, 1333, MatType.CV_8UC3);
        Cv2.Randu(image, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        using var process = Process.GetCurrentProcess();
        Progress.Run(console, "bench fcos", n + 1, p =>
        {
            for (int i = 0; i <= n; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                detector.Detect(image);
                sw.Stop();
                process.Refresh();
                if (i > 0)
                {
                    seconds.Add(sw.Elapsed.TotalSeconds);
                    cpuSeconds.Add((process.TotalProcessorTime - cpu0).TotalSeconds);
                }
                p.Increment();
            }
            return 0;
        });
        double mean = seconds.Average();
        double ratio = mean / ReferenceSPerImage;
        var report = new FcosBenchReport("fcos_imprv_R_50_FPN", !settings.Exact, !settings.Nchw, threads, 800, 1333, n, mean, seconds.Min(), seconds,
            cpuSeconds.Average(),
            ReferenceSPerImage, ratio, ratio <= Goal, true);
        console.MarkupLine(Markup.Escape($"FCOS R-50-FPN 800x1333, {threads} threads: {F(mean, "F3")} s/image (min {F(seconds.Min(), "F3")}, " +
                                         $"{n} images; process CPU {F(cpuSeconds.Average(), "F3")} s/image); reference {F(ReferenceSPerImage, "F2")} s -> ratio {F(ratio, "F2")} (goal <= {F(Goal, "F1")})"));
        if (settings.Json is { } json) JsonOutput.Write(json, report);
        return ExitCodes.Success;
    }
}

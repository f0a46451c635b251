using System.Reflection;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Commands;
using TrackSharp.Cli.Infrastructure;

namespace TrackSharp.Cli;

/// <summary>
/// Entry point and the list of verbs. Commands live one per file under Commands/; what they share (exit codes,
/// error handling, logging, JSON output, progress) is under Infrastructure/.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args);

    /// <summary>Runs the CLI in-process and returns the exit code (tests call this).</summary>
    /// <param name="args">Command line without the program name.</param>
    /// <param name="console">Where tables, help and results go; default: standard output.</param>
    /// <param name="errors">Where error lines go; default: standard error.</param>
    /// <param name="configure">Extra configuration applied after the built-in verbs (tests, plugins).</param>
    public static int Run(string[] args, IAnsiConsole? console = null, TextWriter? errors = null,
        Action<IConfigurator>? configure = null)
    {
        bool debug = IsDebugFromEnvironment();
        // OpenCV logs its own native errors (e.g. "Camera index out of range") next to our one-line message;
        // keep them for --verbose only.
        if (!debug && !args.Contains("--verbose"))
            OpenCvSharp.Cv2.SetLogLevel(OpenCvSharp.LogLevel.SILENT);
        errors ??= Console.Error;
        var handler = new ErrorHandler(errors, verbose: debug || args.Contains("--verbose"),
            color: ErrorHandler.UseColor(errors));

        TrackSharp.Trackers.BuiltInTrainers.Register(TrackSharp.Training.Engine.TrainerRegistry.Default);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("tracksharp");
            config.SetApplicationVersion(Version);
            if (console is not null) config.ConfigureConsole(console);
            config.UseStrictParsing();
            config.SetInterceptor(new LoggingInterceptor(debug));
            config.SetExceptionHandler((e, _) => handler.Handle(e));
            config.CancellationExitCode(130);
            AddVerbs(config);
            configure?.Invoke(config);
        });

        try
        {
            return app.Run(args);
        }
        catch (Exception e)
        {
            return handler.Handle(e); // configuration errors and anything the app let through
        }
        finally
        {
            CliLogging.Shutdown();
        }
    }

    /// <summary>
    /// The verbs. To add one: write <c>Commands/XxxCommand.cs</c> (a <c>Command&lt;XxxSettings&gt;</c> whose
    /// settings derive from <see cref="GlobalSettings"/>, or from <see cref="BenchSettings"/> for a bench), and
    /// register it here. Throw ArgumentException, FileNotFoundException, InvalidDataException or a
    /// TrackSharp.*Exception for bad input: the central <see cref="ErrorHandler"/> prints one line and exits 2.
    /// </summary>
    private static void AddVerbs(IConfigurator config)
    {
        config.AddCommand<TrackCommand>("track")
            .WithExample("track", "--input", "samples/bag.avi", "--box", "292,128,146,132")
            .WithExample("track", "--tracker", "nanotrack", "--version", "v2", "--input", "frames/", "--init", "groundtruth.txt", "--out", "out/run1")
            .WithExample("track", "--input", "0", "--box", "200,150,80,80", "--max-frames", "500");
        config.AddCommand<DemoCommand>("demo")
            .WithExample("demo");

        config.AddCommand<TrackersCommand>("trackers")
            .WithExample("trackers");
        config.AddCommand<EvalCommand>("eval").WithExample("eval", "--tracker", "nanotrack-v2", "--dataset", "otb", "--data", "../shared/data/otb", "--out", "results", "--parallel", "2", "--json", "out/eval.json");

        config.AddBranch("datasets", datasets =>
        {
            datasets.SetDescription("Read benchmark and custom datasets: check a folder for problems, show a sequence with its boxes, synthesize a GOT-10k-layout set.");
            datasets.AddCommand<DatasetsCheckCommand>("check")
                .WithExample("datasets", "check", "../shared/data/otb")
                .WithExample("datasets", "check", "data/GOT-10k/train", "--format", "got10k", "--json", "out/check.json");
            datasets.AddCommand<DatasetsShowCommand>("show")
                .WithExample("datasets", "show", "../shared/data/otb", "Jogging_1", "--frames", "6", "--out", "out/jogging.png");
            datasets.AddCommand<DatasetsCrop511Command>("crop511")
                .WithExample("datasets", "crop511", "--input", "../shared/data/otb", "--out", "out/otb511", "--threads", "2");
            datasets.AddCommand<DatasetsSynthesizeCommand>("synthesize").WithExample("datasets", "synthesize", "out/synthetic", "--sequences", "4", "--frames", "60", "--size", "320x240", "--seed", "1");
        });

        config.AddCommand<TrainCommand>("train")
            .WithExample("train", "--config", "experiments/siamfcpp/siamfcpp_alexnet-trn.yaml", "--out", "runs/siamfcpp", "--data", "GOT10K=data/GOT-10k")
            .WithExample("train", "--config", "experiments/ostrack/vitb_256.yaml", "--resume", "--out", "runs/ostrack", "TRAIN.BATCH_SIZE=8");

        config.AddBranch<GlobalSettings>("detect", detect =>
        {
            // A branch so that "detect train" exists; plain "detect" runs DetectCommand. Spectre lists only the
            // branch's own options in "detect --help", so the description names the detector's options.
            detect.SetDescription("Detect objects with an FCOS model (maskrcnn-benchmark config and weights) in an image, a video or a folder "
                + "of images: --config FILE --weights FILE --input PATH --out DIR [[--score-threshold S]]; writes annotated images "
                + "(or video) and detections.json. 'detect train' trains FCOS (same options as train).");
            detect.SetDefaultCommand<DetectCommand>();
            detect.AddExample("detect", "--config", "fcos_imprv_R_50_FPN_1x.yaml", "--weights", "FCOS_imprv_R_50_FPN_1x.pth", "--input", "images/", "--out", "out/detect");
            detect.AddCommand<TrainCommand>("train")
                .WithDescription("Train FCOS from a maskrcnn-benchmark config (the train verb with the detector's spelling).")
                .WithExample("detect", "train", "--config", "fcos_imprv_R_50_FPN_1x.yaml", "--data", "coco=annotations/instances_train2017.json", "--data", "coco_images=train2017", "--out", "runs/fcos");
        });
        config.AddCommand<CocoEvalCommand>("coco-eval")
            .WithExample("coco-eval", "--gt", "annotations/instances_val2017.json", "--dt", "out/bbox.json", "--json", "out/coco-eval.json");

        config.AddCommand<ReportCommand>("report")
            .WithExample("report", "--results", "results/otb", "--dataset", "otb", "--data", "data/OTB100", "--out", "out/report-otb", "--json", "out/report-otb.json");

        config.AddBranch("bench", bench =>
        {
            bench.SetDescription("Measure speed: the tensor backend (engine), a tracker (nanotrack, siamfcpp, ostrack), the evaluation metrics or the data loader.");
            bench.AddCommand<BenchEngineCommand>("engine")
                .WithExample("bench", "engine")
                .WithExample("bench", "engine", "--threads", "1", "--json", "out/bench-engine.json");
            bench.AddCommand<BenchNanoTrackCommand>("nanotrack")
                .WithExample("bench", "nanotrack", "--json", "out/bench-nanotrack.json");
            bench.AddCommand<BenchSiamFCppCommand>("siamfcpp")
                .WithExample("bench", "siamfcpp", "--threads", "1,2", "--json", "out/bench-siamfcpp.json");
            bench.AddCommand<BenchSiamBanCommand>("siamban")
                .WithExample("bench", "siamban", "--threads", "1,2", "--json", "out/bench-siamban.json");
            bench.AddCommand<BenchOSTrackCommand>("ostrack")
                .WithExample("bench", "ostrack", "--threads", "1,2", "--json", "out/bench-ostrack.json");
            bench.AddCommand<BenchTrDiMPCommand>("trdimp")
                .WithExample("bench", "trdimp", "--threads", "1,2", "--json", "out/bench-trdimp.json");
            bench.AddCommand<BenchMetricsCommand>("metrics").WithExample("bench", "metrics", "--json", "out/bench-metrics.json");
            bench.AddCommand<BenchFcosCommand>("fcos").WithExample("bench", "fcos", "--json", "out/bench-fcos.json");
            bench.AddCommand<BenchLoaderCommand>("loader").WithExample("bench", "loader", "--workers", "1,2", "--json", "out/bench-loader.json");
            bench.AddBranch("train", train =>
            {
                train.SetDescription("Measure training speed: seconds per training iteration of a family's trainer.");
                train.AddCommand<BenchTrainSiamBanCommand>("siamban")
                    .WithExample("bench", "train", "siamban", "--batch", "8", "--json", "out/bench-train-siamban.json");
            });
        });
    }

    /// <summary>"tracksharp 0.1.0": the CLI assembly's informational version.</summary>
    public static string Version { get; } = "tracksharp " +
        (typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
         ?? "unknown");

    internal static bool IsDebugFromEnvironment() =>
        Environment.GetEnvironmentVariable("TRACKSHARP_DEBUG") is "1" or "true" or "TRUE" or "True";
}

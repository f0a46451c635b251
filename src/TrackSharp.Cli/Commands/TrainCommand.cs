using System.ComponentModel;
using Serilog;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Config;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Cli.Commands;

/// <summary>
/// <c>tracksharp train</c>: loads the experiment config (family defaults, file, overrides), finds the family's
/// trainer in <see cref="TrainerRegistry.Default"/> and runs it with a progress bar (plain text lines when output
/// is redirected). The first Ctrl-C stops after the current iteration and saves a checkpoint (exit 130; run again
/// with --resume); a second one ends the process at once.
/// </summary>
[Description("Train a tracker or detector from an experiment config; checkpoints and TensorBoard logs go to the run folder.")]
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainSettings>
{
    /// <summary>Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellation)
    {
        string configPath = settings.Config!;
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"config file '{configPath}' does not exist", configPath);
        var family = settings.Family is { } name ? ConfigFamily.Get(name) : ConfigFamilyGuess.FromFile(configPath);
        var config = ConfigLoader.Load(family, [configPath], settings.Overrides);
        var factory = TrainerRegistry.Default.Find(config);
        var dataRoots = settings.DataRoots();
        string outDir = Path.GetFullPath(settings.Out ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(configPath)));
        Directory.CreateDirectory(outDir);
        config.Save(Path.Combine(outDir, "config.yaml"));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (stop.IsCancellationRequested) return; // the second Ctrl-C ends the process
            e.Cancel = true;
            Log.Warning("stopping after the current iteration (Ctrl-C again to quit at once)");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        int threadsBefore = torch.get_num_threads();
        try
        {
            if (settings.Threads is { } threads) torch.set_num_threads(threads);
            return Run(settings, config, factory, dataRoots, outDir, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
            if (settings.Threads is not null) torch.set_num_threads(threadsBefore);
        }
    }

    private int Run(TrainSettings settings, ExperimentConfig config, ITrainerFactory factory,
        IReadOnlyDictionary<string, string> dataRoots, string outDir, CancellationToken stop)
    {
        bool interactive = Progress.IsInteractive(console);
        var text = new TextMonitor(interactive ? line => CliLogging.FileOnly.Information("{Line}", line) : WriteLine,
            settings.LogEvery);
        var progress = new ProgressMonitor(text);
        var request = new TrainRequest
        {
            Config = config,
            OutputDirectory = outDir,
            Resume = settings.Resume,
            Epochs = settings.Epochs,
            Threads = settings.Threads,
            DataRoots = dataRoots,
            Monitors = [text, progress],
            Logger = CliLogging.LoggerFactory.CreateLogger("train"),
        };
        Log.Information("train {Family} ({Trainer}) from {Config} into {Out}", config.Family.Name, factory.Name,
            config.Files[^1], outDir);

        TrainSummary summary;
        using (var trainer = factory.Create(request))
        {
            summary = Progress.Run(console, $"train {factory.Name}", trainer.TotalSteps, counter =>
            {
                progress.Counter = counter;
                return trainer.Run(stop);
            }, unit: "it");
        }
        text.Dispose();

        WriteLine(Describe(summary, request));
        return summary.Cancelled ? Interrupted : ExitCodes.Success;
    }

    /// <summary>A whole line on the console's writer: Spectre would wrap it at the console width, and log lines
    /// must stay one line each to be greppable.</summary>
    private void WriteLine(string line)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(line);
        writer.Flush();
    }

    private static string Describe(TrainSummary s, TrainRequest request)
    {
        string losses = string.Join(", ", s.LastLosses.Select(l => $"{l.Key}: {TextMonitor.Fixed3(l.Value)}"));
        string head = s.Cancelled
            ? $"interrupted after step {s.GlobalStep} of {s.TotalSteps}; continue with --resume"
            : s.GlobalStep == s.StartStep
                ? $"nothing to do: the run in {request.OutputDirectory} already finished {s.GlobalStep} steps"
                : $"trained steps {s.StartStep}..{s.GlobalStep} of {s.TotalSteps} in {Progress.FormatDuration(s.Elapsed)}";
        return head + (losses.Length > 0 ? $"; last losses {losses}" : "") +
               (s.LastCheckpoint is { } c ? $"; checkpoint {c}" : "") +
               $"; TensorBoard: tensorboard --logdir {request.TensorBoardDirectory}";
    }

    /// <summary>Moves the progress bar to each report's step and shows the latest text line as its label.</summary>
    private sealed class ProgressMonitor(TextMonitor text) : ITrainingMonitor
    {
        public IProgressCounter? Counter { get; set; }

        public void Update(IterationReport report)
        {
            if (Counter is not { } c) return;
            long behind = report.GlobalStep + 1 - c.Value;
            if (behind > 0) c.Increment(behind);
            c.Description = $"epoch {report.Epoch + 1}/{report.MaxEpoch}: {Shorten(text.LastLine)}";
        }

        private static string Shorten(string line)
        {
            int cut = line.IndexOf(", data:", StringComparison.Ordinal);
            string s = cut > 0 ? line[..cut] : line;
            int comma = s.IndexOf(", ", StringComparison.Ordinal); // drop the leading "epoch N, "
            return comma > 0 ? s[(comma + 2)..] : s;
        }

        public void Dispose() { }
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TrackSharp.Config;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Synthetic;
using TrackSharp.Trackers.SiamBAN.Training;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>
/// Speed of SiamBAN training: the real <see cref="SiamBanTrainer"/> (random init, the config's model and training
/// settings) run through the shared <see cref="TrainingLoop{TBatch}"/> for <c>warmup + iterations</c> iterations of one
/// epoch, on a crop511 dataset (<c>--data</c>, or a synthetic one written to a temporary folder). An iteration's wall
/// time is the time between two consecutive monitor updates, so it holds everything the loop does per iteration
/// (data wait, schedule, forward, backward, gradient clipping, optimizer step, monitors); the first iteration has no
/// previous update and is therefore always a warm-up one. The final checkpoint is written after the last update and
/// is not timed.
/// </summary>
public static class SiamBanTrainBenchmark
{
    public const string DefaultConfig = "experiments/siamban_r50_l234.yaml";
    public const int DefaultBatch = 8, DefaultIterations = 10, DefaultWarmup = 2, QuickIterations = 2, QuickWarmup = 1, Seed = 0;

    /// <summary>The name the data is given in DATASET (only <c>--data</c> datasets are used).</summary>
    public const string DataName = "BENCH";

    /// <summary>
    /// Runs the benchmark. <paramref name="data"/> is a folder written by <c>datasets crop511</c> (<c>crop511/</c> and
    /// <c>train.json</c>); null writes a small synthetic one to a temporary folder, deleted afterwards with the run
    /// folder (checkpoint, TensorBoard events).
    /// </summary>
    /// <exception cref="ArgumentException">A batch or iteration count below 1, or a warm-up below 1.</exception>
    public static SiamBanTrainBenchReport Run(string configPath, string? data, int batch, int iterations, int warmup,
        bool backboneTrained, bool quick, Action<string>? stage = null, CancellationToken cancellation = default)
    {
        if (batch < 1) throw new ArgumentException($"--batch must be >= 1, got {batch}");
        if (iterations < 1) throw new ArgumentException($"--iterations must be >= 1, got {iterations}");
        if (warmup < 1) throw new ArgumentException($"--warmup must be >= 1 (the first iteration has no start time), got {warmup}");

        string temp = Directory.CreateTempSubdirectory("tracksharp-bench-train-siamban-").FullName;
        try
        {
            bool synthetic = data is null;
            if (data is null)
            {
                stage?.Invoke($"writing a synthetic crop511 set to {temp}");
                string sequences = Path.Combine(temp, "synthetic");
                SyntheticDataset.Write(sequences, new SyntheticOptions { Sequences = 4, Frames = 16, Seed = Seed });
                data = Path.Combine(temp, "crop511");
                Crop511Writer.Convert(DatasetReader.Open(sequences, DatasetFormat.Got10k), data);
            }

            int total = warmup + iterations;
            var overrides = new List<string>
            {
                $"TRAIN.BATCH_SIZE={batch}", $"DATASET.VIDEOS_PER_EPOCH={batch * total}", "DATASET.NAMES=[]",
                $"TRAIN.PRINT_FREQ={total + 1}",
            };
            if (backboneTrained) overrides.Add("BACKBONE.TRAIN_EPOCH=0");
            var config = ConfigLoader.Load(ConfigFamily.SiamBan, configPath, [.. overrides]);

            var timing = new IterationClock();
            var request = new TrainRequest
            {
                Config = config,
                OutputDirectory = Path.Combine(temp, "run"),
                Epochs = 1, // the config's TRAIN.EPOCH still shapes the lr schedule; epoch 0 is the one run
                DataRoots = new Dictionary<string, string> { [DataName] = data },
                Monitors = [timing],
                Logger = NullLogger.Instance,
            };
            stage?.Invoke($"building the model and the loader ({config.Get("META_ARC", "siamban")}, batch {batch})");
            TrainSummary summary;
            using (var trainer = new SiamBanTrainer(request, Seed))
            {
                stage?.Invoke($"training {warmup} warm-up + {iterations} timed iterations");
                summary = trainer.Run(cancellation);
            }
            if (!summary.Finished) throw new OperationCanceledException($"bench train siamban stopped after {summary.GlobalStep} of {total} iterations");

            var timed = timing.Iterations.Skip(warmup).ToList();
            var phases = new Dictionary<string, SecondsSummary>();
            foreach (string phase in timed.SelectMany(t => t.Phases.Keys).Distinct())
                phases[phase] = Summarize(timed.Select(t => t.Phases.GetValueOrDefault(phase)).ToList());
            phases["other"] = Summarize(timed.Select(t => Math.Max(0, t.Wall - t.Phases.Values.Sum())).ToList());
            var wall = Summarize(timed.Select(t => t.Wall).ToList());

            return new SiamBanTrainBenchReport
            {
                SecondsPerIteration = wall.Median,
                SecondsPerIterationMean = wall.Mean,
                Phases = phases,
                IterationSeconds = timed.Select(t => t.Wall).ToList(),
                PythonSecondsPerIteration = null,
                BatchSize = batch,
                Iterations = iterations,
                Warmup = warmup,
                Threads = TorchSharp.torch.get_num_threads(),
                BackboneTrained = backboneTrained,
                Config = configPath,
                MetaArc = config.Get("META_ARC", ""),
                Data = synthetic ? "synthetic" : Path.GetFullPath(data),
                Synthetic = synthetic,
                LastLosses = summary.LastLosses.ToDictionary(l => l.Key, l => l.Value),
                Seed = Seed,
                Quick = quick,
                ProcessorCount = Environment.ProcessorCount,
                LoadAverage = LoadAverage.Read(),
                Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                TimestampUtc = DateTime.UtcNow,
            };
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Median (mean of the two middle values for an even count) and mean.</summary>
    public static SecondsSummary Summarize(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return new SecondsSummary { Median = double.NaN, Mean = double.NaN };
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new SecondsSummary { Median = median, Mean = values.Average() };
    }

    /// <summary>Wall time between consecutive updates, with the engine's phase seconds of the same iteration.</summary>
    private sealed class IterationClock : ITrainingMonitor
    {
        private long _last = Stopwatch.GetTimestamp();

        public List<(double Wall, Dictionary<string, double> Phases)> Iterations { get; } = [];

        public void Update(IterationReport report)
        {
            long now = Stopwatch.GetTimestamp();
            Iterations.Add((Stopwatch.GetElapsedTime(_last, now).TotalSeconds, report.PhaseSeconds.ToDictionary(p => p.Key, p => p.Value)));
            _last = now;
        }

        public void Dispose()
        {
        }
    }
}

using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Synthetic;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>One timed epoch of <c>bench loader</c>.</summary>
public sealed record LoaderBenchmarkRun
{
    [JsonPropertyName("workers")] public int Workers { get; init; }
    [JsonPropertyName("samples")] public int Samples { get; init; }
    [JsonPropertyName("batches")] public int Batches { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("samples_per_s")] public double SamplesPerSecond { get; init; }
    [JsonPropertyName("corrupt_draws")] public int CorruptDraws { get; init; }
}

/// <summary>What <c>bench loader</c> reports; the JSON keys are the property names given here.</summary>
public sealed record LoaderBenchmarkResult
{
    /// <summary>Samples per second by worker count ("1", "2", ...).</summary>
    [JsonPropertyName("samples_per_s")] public IReadOnlyDictionary<string, double> SamplesPerSecond { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("runs")] public IReadOnlyList<LoaderBenchmarkRun> Runs { get; init; } = [];
    [JsonPropertyName("data")] public string Data { get; init; } = "";
    [JsonPropertyName("synthetic")] public bool Synthetic { get; init; }
    [JsonPropertyName("sequences")] public int Sequences { get; init; }
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; }
    [JsonPropertyName("template_size")] public int TemplateSize { get; init; }
    [JsonPropertyName("template_factor")] public double TemplateFactor { get; init; }
    [JsonPropertyName("search_size")] public int SearchSize { get; init; }
    [JsonPropertyName("search_factor")] public double SearchFactor { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("quick")] public bool Quick { get; init; }
    [JsonPropertyName("processor_count")] public int ProcessorCount { get; init; }
    [JsonPropertyName("load_average_1min")] public double? LoadAverage { get; init; }
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("timestamp_utc")] public DateTime TimestampUtc { get; init; }
}

/// <summary>
/// Speed of the OSTrack training data path: random frame pairs of real JPEG sequences, decoded, processed by
/// <see cref="OSTrackProcessing"/> (template 128 at factor 2, search 256 at factor 4, the default augmentations),
/// collated into batches by <see cref="SampleLoader{TSample}"/>; one epoch per worker count after a warm-up batch.
/// </summary>
public static class LoaderBenchmark
{
    public const int DefaultSamples = 256, QuickSamples = 16, DefaultBatchSize = 8, QuickBatchSize = 4, Seed = 1;

    /// <summary>../shared/data/otb next to the repository (found from the working folder, then from the binaries).</summary>
    public static string? FindDefaultData()
    {
        string rel = Path.Combine("..", "shared", "data", "otb");
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TrackSharp.slnx")))
                {
                    string candidate = Path.GetFullPath(Path.Combine(dir.FullName, rel));
                    if (Directory.Exists(candidate)) return candidate;
                    break;
                }
        return null;
    }

    /// <summary>
    /// A sample function: a sequence uniformly, a visible template frame uniformly, a visible search frame within
    /// <paramref name="maxGap"/> frames of it, then <see cref="OSTrackProcessing.Process(TrackingSequence, int, int, Random)"/>.
    /// Only the context's <see cref="Random"/> is used. Sequences without two visible frames are skipped.
    /// </summary>
    public static SampleFunction<OSTrackSample> PairSampler(IReadOnlyList<TrackingSequence> sequences,
        OSTrackProcessing processing, int maxGap = 100)
    {
        var usable = new List<(TrackingSequence Sequence, int[] Visible)>();
        foreach (var s in sequences)
        {
            int[] visible;
            try { visible = Enumerable.Range(0, s.Length).Where(s.IsVisible).ToArray(); }
            catch (DatasetFormatException) { continue; }
            if (visible.Length >= 2) usable.Add((s, visible));
        }
        if (usable.Count == 0) throw new ArgumentException("no sequence has two frames with a visible target");
        return context =>
        {
            var r = context.Random;
            var (sequence, visible) = usable[r.Next(usable.Count)];
            int t = visible[r.Next(visible.Length)];
            int lo = Array.BinarySearch(visible, t - maxGap), hi = Array.BinarySearch(visible, t + maxGap);
            lo = lo < 0 ? ~lo : lo;
            hi = hi < 0 ? ~hi - 1 : hi;
            int s = visible[lo + r.Next(hi - lo + 1)];
            return processing.Process(sequence, t, s, r);
        };
    }

    /// <param name="data">Dataset folder (any layout <see cref="DatasetReader"/> reads); null = <see cref="FindDefaultData"/>
    /// or, failing that, a synthetic set written to a temporary folder (deleted afterwards).</param>
    public static LoaderBenchmarkResult Run(string? data, IReadOnlyList<int> workers, int? samples, bool quick,
        ILogger? logger = null, Action<string>? stage = null)
    {
        if (workers.Count == 0 || workers.Any(w => w < 1)) throw new ArgumentException("worker counts must be >= 1");
        int n = samples ?? (quick ? QuickSamples : DefaultSamples);
        if (n < 1) throw new ArgumentException($"--samples must be >= 1, got {n}");
        int batch = Math.Min(quick ? QuickBatchSize : DefaultBatchSize, n);

        string? temp = null;
        bool synthetic = false;
        data ??= FindDefaultData();
        try
        {
            if (data is null)
            {
                temp = Directory.CreateTempSubdirectory("tracksharp-bench-loader-").FullName;
                stage?.Invoke($"writing a synthetic set to {temp}");
                SyntheticDataset.Write(temp, new SyntheticOptions { Sequences = 4, Frames = quick ? 20 : 60 });
                data = temp;
                synthetic = true;
            }
            var dataset = DatasetReader.Open(data);
            var processing = new OSTrackProcessing(OSTrackProcessingOptions.Default);
            var sampler = PairSampler(dataset.Sequences, processing);

            var runs = new List<LoaderBenchmarkRun>();
            foreach (int w in workers)
            {
                var loader = new SampleLoader<OSTrackSample>(sampler,
                    new LoaderOptions { BatchSize = batch, EpochLength = n, Workers = w, Prefetch = 2 * w, Seed = Seed }, logger);
                stage?.Invoke($"{w} worker(s): warm-up");
                loader.BuildBatch(epoch: -1, batch: 0).Dispose();
                stage?.Invoke($"{w} worker(s): {n} samples");
                var sw = Stopwatch.StartNew();
                int batches = 0;
                foreach (var b in loader.Epoch(0))
                {
                    batches++;
                    b.Dispose();
                }
                double seconds = sw.Elapsed.TotalSeconds;
                runs.Add(new LoaderBenchmarkRun
                {
                    Workers = w, Samples = n, Batches = batches, Seconds = seconds, SamplesPerSecond = n / seconds,
                    CorruptDraws = loader.Failures.Count,
                });
            }

            return new LoaderBenchmarkResult
            {
                SamplesPerSecond = runs.GroupBy(r => r.Workers).ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    g => g.Last().SamplesPerSecond),
                Runs = runs,
                Data = synthetic ? "synthetic" : Path.GetFullPath(data),
                Synthetic = synthetic,
                Sequences = dataset.Sequences.Count,
                BatchSize = batch,
                TemplateSize = processing.Options.Template.Size,
                TemplateFactor = processing.Options.Template.Factor,
                SearchSize = processing.Options.Search.Size,
                SearchFactor = processing.Options.Search.Factor,
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
            if (temp is not null)
                try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>One measured configuration: a registered tracker run with a given thread count.</summary>
/// <param name="Tracker">Registry name, e.g. "nanotrack-v2" or "csrt".</param>
/// <param name="Backend">What runs the network: "torchsharp", "onnxruntime" or "opencv".</param>
/// <param name="Threads">Intra-op threads of every library the tracker uses (explicit, never 0).</param>
public sealed record TrackerBenchConfig(string Tracker, string Backend, int Threads)
{
    public string Label => $"{Tracker} ({Backend}, {Threads} thread{(Threads == 1 ? "" : "s")})";
}

/// <summary>Timing of one configuration; the JSON keys are the property names given here.</summary>
public sealed record TrackerBenchResult
{
    [JsonPropertyName("tracker")] public string Tracker { get; init; } = "";
    [JsonPropertyName("backend")] public string Backend { get; init; } = "";
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>Median wall time of one Track() call, in milliseconds.</summary>
    [JsonPropertyName("ms_per_frame")] public double MsPerFrame { get; init; }

    [JsonPropertyName("mean_ms")] public double MeanMs { get; init; }

    /// <summary>90th percentile (linear interpolation between order statistics, as numpy's default).</summary>
    [JsonPropertyName("p90_ms")] public double P90Ms { get; init; }

    /// <summary>1000 / median.</summary>
    [JsonPropertyName("fps")] public double Fps { get; init; }
}

/// <summary>The reference Python tracker's speed, measured on the project's 2-core machine (issue anchors).</summary>
public sealed record PythonReference
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>Median milliseconds per Track() call, by our tracker name.</summary>
    [JsonPropertyName("ms_per_frame")] public IReadOnlyDictionary<string, double> MsPerFrame { get; init; } =
        new Dictionary<string, double>();
}

/// <summary>A reference Python tracker's speed on the project's 2-core machine, by thread count (the single-tracker
/// benches: siamfcpp, ostrack, trdimp).</summary>
public sealed record PythonReferenceByThreads
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";

    /// <summary>Median milliseconds per frame, keyed by the thread count ("1", "2").</summary>
    [JsonPropertyName("ms_per_frame")] public IReadOnlyDictionary<string, double> MsPerFrame { get; init; } =
        new Dictionary<string, double>();
}

/// <summary>TorchSharp NanoTrack v2 against the ONNX Runtime export of the same model, both at 1 thread.</summary>
public sealed record BackendComparison
{
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("torchsharp_ms")] public double TorchSharpMs { get; init; }
    [JsonPropertyName("onnxruntime_ms")] public double OnnxRuntimeMs { get; init; }

    /// <summary>TorchSharp median / ONNX Runtime median (above 1: TorchSharp is slower).</summary>
    [JsonPropertyName("ratio")] public double Ratio { get; init; }
}

/// <summary>What <c>bench nanotrack</c> reports.</summary>
public sealed record NanoTrackBenchReport
{
    [JsonPropertyName("video")] public string Video { get; init; } = "";

    /// <summary>Timed Track() calls per configuration.</summary>
    [JsonPropertyName("frames")] public int Frames { get; init; }

    [JsonPropertyName("results")] public IReadOnlyList<TrackerBenchResult> Results { get; init; } = [];
    [JsonPropertyName("reference")] public PythonReference Reference { get; init; } = new();

    /// <summary>Ours / Python, median ms per frame, for the versions with a reference, at 1 thread.</summary>
    [JsonPropertyName("ratios")] public IReadOnlyDictionary<string, double> Ratios { get; init; } =
        new Dictionary<string, double>();

    /// <summary>The goal: at most this fraction of the Python time.</summary>
    [JsonPropertyName("goal_max_ratio")] public double GoalMaxRatio { get; init; }

    [JsonPropertyName("goal_met")] public IReadOnlyDictionary<string, bool> GoalMet { get; init; } =
        new Dictionary<string, bool>();

    /// <summary>Null when one of the two configurations was not measured.</summary>
    [JsonPropertyName("torchsharp_vs_onnxruntime")] public BackendComparison? TorchSharpVsOnnxRuntime { get; init; }

    [JsonPropertyName("box")] public string Box { get; init; } = "";
    [JsonPropertyName("video_frames")] public int VideoFrames { get; init; }
    [JsonPropertyName("wrapped")] public bool Wrapped { get; init; }
    [JsonPropertyName("warmup")] public int Warmup { get; init; }
    [JsonPropertyName("quick")] public bool Quick { get; init; }
    [JsonPropertyName("processor_count")] public int ProcessorCount { get; init; }
    [JsonPropertyName("torchsharp_version")] public string TorchSharpVersion { get; init; } = "";
    [JsonPropertyName("libtorch_version")] public string LibTorchVersion { get; init; } = "";
    [JsonPropertyName("onnxruntime_version")] public string OnnxRuntimeVersion { get; init; } = "";
    [JsonPropertyName("opencv_version")] public string OpenCvVersion { get; init; } = "";
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("timestamp_utc")] public DateTime TimestampUtc { get; init; }
}

/// <summary>Frames decoded once into memory; a timed run indexes them modulo <see cref="Count"/> (wrapping).</summary>
public sealed class DecodedFrames(IReadOnlyList<Mat> images, string description) : IDisposable
{
    public int Count => images.Count;
    public string Description { get; } = description;

    /// <summary>Frame <paramref name="index"/> of the looped sequence.</summary>
    public Mat this[int index] => images[index % images.Count];

    public void Dispose()
    {
        foreach (var image in images) image.Dispose();
    }
}

/// <summary>
/// Speed of registered trackers on frames held in memory (decoding is never timed). Per configuration: set the
/// thread count of every library involved (TorchSharp's process-global intra-op pool, OpenCV's pool; ONNX Runtime
/// gets it through <see cref="TrackerOptions.Threads"/>), create the tracker through the
/// <see cref="TrackerRegistry"/>, Initialize on frame 0, run warm-up Track() calls on frames 1..W, then time each
/// Track() call on the next N frames with <see cref="Stopwatch"/>. The previous thread counts are restored after
/// each configuration.
/// </summary>
public static class TrackerBenchmark
{
    public const string SampleVideo = "samples/bag.avi";
    public const string SampleBoxFile = "samples/bag.json";
    public const int DefaultFrames = 200, QuickFrames = 20;
    public const int DefaultWarmup = 5, QuickWarmup = 1;

    /// <summary>Median Track() ms of the reference Python NanoTrack (PyTorch 1.13, OpenBLAS, 1 thread) on the
    /// project's 2-core machine, as given by the project issue.</summary>
    public static PythonReference Python { get; } = new()
    {
        Source = "reference Python NanoTrack tracker, PyTorch 1.13 with OpenBLAS, 1 thread, on the project's 2-core " +
                 "machine (anchors from the project issue)",
        Threads = 1,
        MsPerFrame = new Dictionary<string, double> { ["nanotrack-v2"] = 19.9, ["nanotrack-v3"] = 27.2 },
    };

    /// <summary>Goal of the port: a Track() call takes at most half the Python time.</summary>
    public const double GoalMaxRatio = 0.5;

    /// <summary>
    /// The configurations of <c>bench nanotrack</c>: NanoTrack v1/v2/v3 on TorchSharp, v2 on ONNX Runtime and OpenCV's
    /// CSRT, each at 1 and <paramref name="allThreads"/> threads. The second run is skipped when
    /// <paramref name="allThreads"/> is 1.
    /// </summary>
    public static IReadOnlyList<TrackerBenchConfig> NanoTrackConfigurations(int allThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(allThreads, 1);
        var list = new List<TrackerBenchConfig>();
        foreach (var (tracker, backend) in new[]
                 {
                     ("nanotrack-v1", "torchsharp"), ("nanotrack-v2", "torchsharp"), ("nanotrack-v3", "torchsharp"),
                     ("nanotrack-onnx", "onnxruntime"), ("csrt", "opencv"),
                 })
        {
            list.Add(new TrackerBenchConfig(tracker, backend, 1));
            if (allThreads > 1) list.Add(new TrackerBenchConfig(tracker, backend, allThreads));
        }
        return list;
    }

    /// <summary>
    /// Finds a file shipped with the repository (e.g. <c>samples/bag.avi</c>) in the current directory and its
    /// parents, then in the application's directory and its parents. Null when not found.
    /// </summary>
    public static string? FindShipped(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The video a tracker bench runs on: <paramref name="video"/> (--video), or the shipped sample found
    /// from the current or the application's directory.</summary>
    /// <exception cref="FileNotFoundException">No --video and the sample is not found.</exception>
    public static string ResolveVideo(string? video) =>
        video ?? FindShipped(SampleVideo) ?? throw new FileNotFoundException(
            $"the sample video '{SampleVideo}' was not found in the current directory, the " +
            "application's directory or their parents; pass --video PATH --box x,y,w,h", SampleVideo);

    /// <summary>The first-frame box: <paramref name="box"/> (--box x,y,w,h), or for the sample video its box from
    /// <c>samples/bag.json</c>; any other video needs --box.</summary>
    public static BoxXywh ResolveBox(string? box, string video)
    {
        if (box is { } text)
        {
            var parsed = BoxXywh.Parse(text);
            if (!parsed.IsValid) throw new ArgumentException($"--box '{text}' must have a positive width and height");
            return parsed;
        }
        string? sample = FindShipped(SampleVideo);
        bool isSample = sample is not null && File.Exists(video) &&
                        string.Equals(Path.GetFullPath(video), Path.GetFullPath(sample), StringComparison.Ordinal);
        if (!isSample)
            throw new ArgumentException($"--video '{video}' needs its first-frame box: add --box x,y,w,h");
        string boxFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sample!))!, Path.GetFileName(SampleBoxFile));
        if (!File.Exists(boxFile))
            throw new FileNotFoundException($"the sample's box file '{boxFile}' does not exist; pass --box x,y,w,h", boxFile);
        return ReadSampleBox(boxFile);
    }

    /// <summary>Reads the <c>box</c> (x, y, w, h) of a sample's JSON file such as <c>samples/bag.json</c>.</summary>
    /// <exception cref="InvalidDataException">No <c>box</c> array of four numbers.</exception>
    public static BoxXywh ReadSampleBox(string jsonPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("box", out var box) && box.ValueKind == JsonValueKind.Array &&
                box.GetArrayLength() == 4 && box.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number))
            {
                var v = box.EnumerateArray().Select(e => e.GetDouble()).ToArray();
                return new BoxXywh(v[0], v[1], v[2], v[3]);
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{jsonPath}' is not valid JSON: {e.Message}", e);
        }
        throw new InvalidDataException($"'{jsonPath}' has no \"box\": [x, y, w, h] of four numbers");
    }

    /// <summary>
    /// Decodes up to <paramref name="needed"/> frames of <paramref name="source"/> into memory (fewer when the
    /// source is shorter; the timed run then wraps). Unreadable frames after the first are skipped with a warning.
    /// </summary>
    /// <param name="onFrame">Called once per decoded frame (progress).</param>
    /// <exception cref="InvalidDataException">The first frame is unreadable, or the source has no frames.</exception>
    public static DecodedFrames Decode(IFrameSource source, int needed, Action? onFrame = null,
        Action<string>? warn = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(needed, 1);
        var images = new List<Mat>();
        try
        {
            foreach (var frame in source.Frames())
            {
                using (frame)
                {
                    if (!frame.IsValid)
                    {
                        if (frame.Index == 0 || images.Count == 0)
                            throw new InvalidDataException(
                                $"{source.Description}: the first frame, which the box refers to, is unreadable: {frame.Error}");
                        warn?.Invoke($"skipping unreadable frame: {frame}");
                        continue;
                    }
                    images.Add(frame.Image!.Clone());
                }
                onFrame?.Invoke();
                if (images.Count >= needed) break;
            }
            if (images.Count == 0) throw new InvalidDataException($"{source.Description}: no frames");
            return new DecodedFrames(images, source.Description);
        }
        catch
        {
            foreach (var image in images) image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Measures one configuration: returns the wall time of each of the <paramref name="frames"/> timed
    /// Track() calls, in milliseconds.
    /// </summary>
    /// <param name="onFrame">Called after each timed call, outside the timed region (progress).</param>
    public static double[] Measure(TrackerBenchConfig config, DecodedFrames video, BoxXywh box, int warmup,
        int frames, Action? onFrame = null, TrackerRegistry? registry = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(config.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        registry ??= TrackerRegistry.Default;

        int torchThreads = torch.get_num_threads();
        int cvThreads = Cv2.GetNumThreads();
        try
        {
            SetThreads(config.Threads);
            using var tracker = registry.Create(config.Tracker, new TrackerOptions { Threads = config.Threads });
            tracker.Initialize(video[0], box);
            for (int i = 1; i <= warmup; i++) tracker.Track(video[i]);

            SetThreads(config.Threads); // again: creating a tracker may have touched the global pools
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            var times = new double[frames];
            for (int i = 0; i < frames; i++)
            {
                var image = video[warmup + 1 + i];
                long start = Stopwatch.GetTimestamp();
                tracker.Track(image);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                onFrame?.Invoke();
            }
            return times;
        }
        finally
        {
            torch.set_num_threads(torchThreads);
            Cv2.SetNumThreads(cvThreads);
        }
    }

    /// <summary>Median, mean and 90th percentile (linear interpolation) of <paramref name="ms"/>; FPS = 1000/median.</summary>
    public static TrackerBenchResult Summarize(TrackerBenchConfig config, IReadOnlyList<double> ms)
    {
        if (ms.Count == 0) throw new ArgumentException("no timings to summarize", nameof(ms));
        var sorted = ms.Order().ToArray();
        double median = Quantile(sorted, 0.5);
        return new TrackerBenchResult
        {
            Tracker = config.Tracker,
            Backend = config.Backend,
            Threads = config.Threads,
            MsPerFrame = median,
            MeanMs = sorted.Average(),
            P90Ms = Quantile(sorted, 0.9),
            Fps = median > 0 ? 1000.0 / median : double.PositiveInfinity,
        };
    }

    /// <summary>
    /// Ours / Python median and whether it meets <paramref name="goalMaxRatio"/>, keyed by thread count, for the thread
    /// counts with a Python figure; both empty when the measured network is not the one the figures were taken on.
    /// </summary>
    public static (Dictionary<string, double> Ratios, Dictionary<string, bool> GoalMet) RatiosToPython(
        IReadOnlyList<TrackerBenchResult> results, IReadOnlyDictionary<string, double> pythonMsPerFrame,
        double goalMaxRatio, bool sameNetwork)
    {
        var ratios = new Dictionary<string, double>();
        var met = new Dictionary<string, bool>();
        if (sameNetwork)
            foreach (var r in results)
            {
                string key = r.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (pythonMsPerFrame.TryGetValue(key, out double python))
                {
                    ratios[key] = r.MsPerFrame / python;
                    met[key] = r.MsPerFrame / python <= goalMaxRatio;
                }
            }
        return (ratios, met);
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between closest ranks (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("no values", nameof(sorted));
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), q, "q must lie in [0, 1]");
        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>Sets the intra-op threads of TorchSharp (process-global) and OpenCV.</summary>
    public static void SetThreads(int threads)
    {
        torch.set_num_threads(threads);
        Cv2.SetNumThreads(threads);
    }

    /// <summary>Assembles the report: ratios to the Python anchors and the TorchSharp/ONNX Runtime comparison are
    /// taken from the 1-thread results of this same run.</summary>
    public static NanoTrackBenchReport Report(string video, BoxXywh box, DecodedFrames frames, int timedFrames,
        int warmup, bool quick, IReadOnlyList<TrackerBenchResult> results)
    {
        TrackerBenchResult? OneThread(string tracker) =>
            results.FirstOrDefault(r => r.Tracker == tracker && r.Threads == 1);

        var ratios = new Dictionary<string, double>();
        var met = new Dictionary<string, bool>();
        foreach (var (tracker, pythonMs) in Python.MsPerFrame)
            if (OneThread(tracker) is { } ours)
            {
                ratios[tracker] = ours.MsPerFrame / pythonMs;
                met[tracker] = ratios[tracker] <= GoalMaxRatio;
            }

        BackendComparison? comparison = null;
        if (OneThread("nanotrack-v2") is { } torchV2 && OneThread("nanotrack-onnx") is { } onnx)
            comparison = new BackendComparison
            {
                Threads = 1,
                TorchSharpMs = torchV2.MsPerFrame,
                OnnxRuntimeMs = onnx.MsPerFrame,
                Ratio = torchV2.MsPerFrame / onnx.MsPerFrame,
            };

        int used = warmup + 1 + timedFrames;
        return new NanoTrackBenchReport
        {
            Video = video,
            Frames = timedFrames,
            Results = results,
            Reference = Python,
            Ratios = ratios,
            GoalMaxRatio = GoalMaxRatio,
            GoalMet = met,
            TorchSharpVsOnnxRuntime = comparison,
            Box = box.ToString(),
            VideoFrames = frames.Count,
            Wrapped = used > frames.Count,
            Warmup = warmup,
            Quick = quick,
            ProcessorCount = Environment.ProcessorCount,
            TorchSharpVersion = EngineBenchmark.TorchSharpVersion(),
            LibTorchVersion = EngineBenchmark.LibTorchVersion(),
            OnnxRuntimeVersion = AssemblyVersion(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly),
            OpenCvVersion = Cv2.GetVersionString() ?? "unknown",
            Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            TimestampUtc = DateTime.UtcNow,
        };
    }

    private static string AssemblyVersion(Assembly assembly)
    {
        string? v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? assembly.GetName().Version?.ToString();
        if (v is null) return "unknown";
        int plus = v.IndexOf('+');
        return plus >= 0 ? v[..plus] : v;
    }
}

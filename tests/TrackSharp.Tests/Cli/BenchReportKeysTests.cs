using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using TrackSharp.Geometry;
using TrackSharp.Trackers.SiamBAN;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>
/// Pins the JSON of the four single-tracker benches (siamfcpp, siamban, ostrack, trdimp): the top-level keys in their
/// order, the keys of a result and of the reference, and the shared figures computed by hand. The key lists were
/// copied from the <c>--json</c> output of each bench before the reports shared a base record, so a refactor of the
/// records that moved, dropped or added a key fails here. The reports are built with each bench's own
/// <c>Report</c> and written with <see cref="JsonOutput.Options"/>, as the commands do.
/// </summary>
public class BenchReportKeysTests
{
    public static readonly string[] SiamFCppKeys =
    [
        "config", "backbone", "weights", "random_init", "video", "box", "frames", "warmup", "results", "ms_per_frame",
        "mean_ms", "reference", "ratios", "goal_max_ratio", "goal_met", "video_frames", "wrapped", "quick",
        "processor_count", "torchsharp_version", "libtorch_version", "opencv_version", "os", "timestamp_utc",
    ];

    public static readonly string[] SiamBanKeys =
    [
        "config", "meta_arc", "weights", "random_init", "video", "box", "frames", "warmup", "results", "ms_per_frame",
        "mean_ms", "python_ms_per_frame", "python_source", "ratios", "goal_max_ratio", "goal_met", "video_frames",
        "wrapped", "quick", "processor_count", "torchsharp_version", "libtorch_version", "opencv_version", "os",
        "timestamp_utc",
    ];

    public static readonly string[] OSTrackKeys =
    [
        "config", "backbone", "embed_dim", "depth", "search_size", "weights", "random_init", "video", "box", "frames",
        "warmup", "results", "ms_per_frame", "mean_ms", "reference", "ratios", "goal_max_ratio", "goal_met",
        "video_frames", "wrapped", "quick", "processor_count", "torchsharp_version", "libtorch_version", "os",
        "timestamp_utc",
    ];

    public static readonly string[] TrDiMPKeys =
    [
        "network", "random_init", "bn_calibration_crops", "video", "box", "frames", "warmup", "results", "flags",
        "ms_per_frame", "mean_ms", "reference", "ratios", "goal_max_ratio", "goal_met", "video_frames", "wrapped",
        "quick", "processor_count", "torchsharp_version", "libtorch_version", "os", "timestamp_utc",
    ];

    private static readonly string[] ResultKeys = ["tracker", "backend", "threads", "ms_per_frame", "mean_ms", "p90_ms", "fps"];
    private static readonly string[] ReferenceKeys = ["source", "ms_per_frame"];

    /// <summary>The top-level keys of a JSON object, in document order.</summary>
    public static string[] KeysOf(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    private static readonly BoxXywh Box = new(10, 20, 30, 40);

    /// <summary>Three 8x8 frames; warm-up 1 + first frame 1 + 2 timed = 4 frames needed, so the video wraps.</summary>
    private static DecodedFrames ThreeFrames() =>
        new([new Mat(8, 8, MatType.CV_8UC3), new Mat(8, 8, MatType.CV_8UC3), new Mat(8, 8, MatType.CV_8UC3)], "three frames");

    private static TrackerBenchResult Result(string tracker, int threads, double median) => new()
    {
        Tracker = tracker, Backend = "torchsharp", Threads = threads, MsPerFrame = median, MeanMs = median + 1,
        P90Ms = median + 2, Fps = 1000 / median,
    };

    private static JsonElement Serialize<T>(T report) =>
        JsonDocument.Parse(JsonSerializer.Serialize(report, JsonOutput.Options)).RootElement.Clone();

    /// <summary>The figures every single-tracker bench computes the same way, checked against hand values.</summary>
    private static void AssertSharedFigures(JsonElement root, string[] expectedKeys)
    {
        Assert.Equal(expectedKeys, KeysOf(root));
        Assert.Equal("10,20,30,40", root.GetProperty("box").GetString());
        Assert.Equal("bag.avi", root.GetProperty("video").GetString());
        Assert.Equal(2, root.GetProperty("frames").GetInt32());
        Assert.Equal(1, root.GetProperty("warmup").GetInt32());
        Assert.Equal(3, root.GetProperty("video_frames").GetInt32());
        Assert.True(root.GetProperty("wrapped").GetBoolean());
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.True(root.GetProperty("random_init").GetBoolean());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("processor_count").GetInt32());
        foreach (var result in root.GetProperty("results").EnumerateArray()) Assert.Equal(ResultKeys, KeysOf(result));
        if (root.TryGetProperty("reference", out var reference)) Assert.Equal(ReferenceKeys, KeysOf(reference));
    }

    [Fact]
    public void SiamFCppReportKeepsItsKeysAndRatios()
    {
        var (model, _) = SiamFCppBenchmark.ReadConfig(Path.Combine(TestPaths.RepoRoot, SiamFCppBenchmark.DefaultConfig));
        using var frames = ThreeFrames();
        var report = SiamFCppBenchmark.Report("cfg.yaml", model, null, "bag.avi", Box, frames, 2, 1, true,
            [Result("siamfcpp-alexnet", 1, 630), Result("siamfcpp-alexnet", 2, 96.5)]);
        var root = Serialize(report);
        AssertSharedFigures(root, SiamFCppKeys);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("weights").ValueKind);
        Assert.Equal(631, root.GetProperty("mean_ms").GetProperty("1").GetDouble());
        Assert.Equal(2.0, root.GetProperty("ratios").GetProperty("1").GetDouble(), 12); // 630 / 315
        Assert.Equal(0.5, root.GetProperty("ratios").GetProperty("2").GetDouble(), 12); // 96.5 / 193
        Assert.False(root.GetProperty("goal_met").GetProperty("1").GetBoolean());
        Assert.True(root.GetProperty("goal_met").GetProperty("2").GetBoolean());
    }

    [Fact]
    public void SiamBanReportKeepsItsKeysAndRatios()
    {
        using var frames = ThreeFrames();
        var report = SiamBanBenchmark.Report("cfg.yaml", SiamBanModelOptions.R50L234, "siamban_r50_l234", null, "bag.avi", Box,
            frames, 2, 1, true, [Result("siamban_r50_l234", 1, 775.5)]);
        var root = Serialize(report);
        AssertSharedFigures(root, SiamBanKeys);
        Assert.Equal(0.5, root.GetProperty("ratios").GetProperty("1").GetDouble(), 12); // 775.5 / 1551
        Assert.True(root.GetProperty("goal_met").GetProperty("1").GetBoolean());
        Assert.Equal(1040, root.GetProperty("python_ms_per_frame").GetProperty("2").GetDouble());
    }

    [Fact]
    public void OSTrackReportKeepsItsKeysAndRatios()
    {
        var (model, _) = OSTrackBenchmark.ReadConfig(Path.Combine(TestPaths.RepoRoot, OSTrackBenchmark.DefaultConfig));
        using var frames = ThreeFrames();
        var report = OSTrackBenchmark.Report("cfg.yaml", model, null, "bag.avi", Box, frames, 2, 1, true,
            [Result("ostrack", 1, 301), Result("ostrack", 2, 1198)]);
        var root = Serialize(report);
        AssertSharedFigures(root, OSTrackKeys);
        Assert.Equal(0.5, root.GetProperty("ratios").GetProperty("1").GetDouble(), 12); // 301 / 602
        Assert.Equal(1.0, root.GetProperty("ratios").GetProperty("2").GetDouble(), 12); // 1198 / 1198 > 0.9
        Assert.False(root.GetProperty("goal_met").GetProperty("2").GetBoolean());
    }

    [Fact]
    public void TrDiMPReportKeepsItsKeysAndRatios()
    {
        using var frames = ThreeFrames();
        var flags = new List<IReadOnlyDictionary<string, int>> { new Dictionary<string, int> { ["normal"] = 3 } };
        var report = TrDiMPBenchmark.Report(false, "bag.avi", Box, frames, 2, 1, true, [Result("trdimp", 2, 721)], flags);
        var root = Serialize(report);
        AssertSharedFigures(root, TrDiMPKeys);
        Assert.Equal("resnet50", root.GetProperty("network").GetString());
        Assert.Equal(3, root.GetProperty("flags").GetProperty("2").GetProperty("normal").GetInt32());
        Assert.Equal(0.5, root.GetProperty("ratios").GetProperty("2").GetDouble(), 12); // 721 / 1442
        Assert.True(root.GetProperty("goal_met").GetProperty("2").GetBoolean());

        var small = Serialize(TrDiMPBenchmark.Report(true, "bag.avi", Box, frames, 2, 1, true, [Result("trdimp", 2, 721)]));
        Assert.Equal(TrDiMPKeys, KeysOf(small));
        Assert.Empty(small.GetProperty("ratios").EnumerateObject()); // no Python figure for the small network
    }
}

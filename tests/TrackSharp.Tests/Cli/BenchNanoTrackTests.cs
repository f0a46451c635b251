using System.Text.Json;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary><c>bench nanotrack</c>: runs, reports every configuration, fails cleanly on bad input. No timing
/// assertions: figures on a shared machine are noise at this size.</summary>
[Collection(CliCollection.Name)]
public class BenchNanoTrackTests
{
    [Fact]
    public void QuickRunWritesEveryConfigurationWithPositiveTimes()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-").FullName;
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            string json = Path.Combine(dir, "out", "bench.json");
            var r = CliRunner.Run("bench", "nanotrack", "--quick", "--frames", "5", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("median ms", r.Output);

            // The configurations the issue asks for, listed by hand.
            int all = Environment.ProcessorCount;
            var expected = new HashSet<(string, string, int)>
            {
                ("nanotrack-v1", "torchsharp", 1), ("nanotrack-v2", "torchsharp", 1), ("nanotrack-v3", "torchsharp", 1),
                ("nanotrack-onnx", "onnxruntime", 1), ("csrt", "opencv", 1),
                ("nanotrack-v1", "torchsharp", all), ("nanotrack-v2", "torchsharp", all),
                ("nanotrack-v3", "torchsharp", all), ("nanotrack-onnx", "onnxruntime", all), ("csrt", "opencv", all),
            };

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.EndsWith("bag.avi", root.GetProperty("video").GetString());
            Assert.Equal(5, root.GetProperty("frames").GetInt32());

            var seen = new HashSet<(string, string, int)>();
            foreach (var result in root.GetProperty("results").EnumerateArray())
            {
                var key = (result.GetProperty("tracker").GetString()!, result.GetProperty("backend").GetString()!,
                    result.GetProperty("threads").GetInt32());
                Assert.True(seen.Add(key), $"configuration {key} reported twice");
                foreach (var field in new[] { "ms_per_frame", "mean_ms", "p90_ms", "fps" })
                {
                    double value = result.GetProperty(field).GetDouble();
                    Assert.True(value > 0 && double.IsFinite(value), $"{key} {field} = {value}");
                }
            }
            Assert.Equal(expected, seen);

            // The Python anchors of the issue, and ours/python for v2 and v3.
            var reference = root.GetProperty("reference").GetProperty("ms_per_frame");
            Assert.Equal(19.9, reference.GetProperty("nanotrack-v2").GetDouble());
            Assert.Equal(27.2, reference.GetProperty("nanotrack-v3").GetDouble());
            var ratios = root.GetProperty("ratios");
            foreach (var version in new[] { "nanotrack-v2", "nanotrack-v3" })
                Assert.True(ratios.GetProperty(version).GetDouble() > 0, version);
            Assert.True(root.GetProperty("torchsharp_vs_onnxruntime").GetProperty("ratio").GetDouble() > 0);

            Assert.Contains("nanotrack-v2 / Python", r.Output);
            Assert.Contains("nanotrack-v3 / Python", r.Output);
            Assert.Contains("TorchSharp / ONNX Runtime", r.Output);
            Assert.Equal(torchThreads, TorchSharp.torch.get_num_threads()); // restored after the run
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnknownVideoExitsTwoWithOneErrorLine()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-video-{Guid.NewGuid():N}.avi");
        var r = CliRunner.Run("bench", "nanotrack", "--quick", "--frames", "5", "--video", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(missing, line);
    }

    [Fact]
    public void AnotherVideoWithoutBoxExitsTwo()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-bench-").FullName;
        try
        {
            string sample = TrackerBenchmark.FindShipped(TrackerBenchmark.SampleVideo)!;
            string copy = Path.Combine(dir, "other.avi");
            File.Copy(sample, copy);
            var r = CliRunner.Run("bench", "nanotrack", "--quick", "--frames", "5", "--video", copy);
            Assert.Equal(ExitCodes.BadInput, r.ExitCode);
            var line = Assert.Single(r.ErrorLines);
            Assert.Contains("--box", line);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--frames", "0")]
    [InlineData("--box", "1,2,3")]
    public void BadOptionValueExitsTwo(string option, string value)
    {
        var r = CliRunner.Run("bench", "nanotrack", "--quick", option, value);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Single(r.ErrorLines, l => l.StartsWith("error: ", StringComparison.Ordinal));
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var r = CliRunner.Run("bench", "nanotrack", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "--json", "--frames", "--video", "--box", "--quick", "--threads" })
            Assert.Contains(option, r.Output);
    }

    [Fact]
    public void StatisticsMatchHandComputedValues()
    {
        // times 4, 1, 3, 2 ms: sorted 1, 2, 3, 4; median (2 + 3) / 2 = 2.5; mean 10 / 4 = 2.5;
        // p90 at rank 0.9 * 3 = 2.7: 3 + 0.7 * (4 - 3) = 3.7; fps 1000 / 2.5 = 400.
        var r = TrackerBenchmark.Summarize(new TrackerBenchConfig("t", "b", 1), [4.0, 1.0, 3.0, 2.0]);
        Assert.Equal(2.5, r.MsPerFrame, 12);
        Assert.Equal(2.5, r.MeanMs, 12);
        Assert.Equal(3.7, r.P90Ms, 12);
        Assert.Equal(400.0, r.Fps, 9);

        // odd count 5, 1, 9: median 5, p90 at rank 1.8: 5 + 0.8 * (9 - 5) = 8.2.
        var odd = TrackerBenchmark.Summarize(new TrackerBenchConfig("t", "b", 1), [5.0, 1.0, 9.0]);
        Assert.Equal(5.0, odd.MsPerFrame, 12);
        Assert.Equal(8.2, odd.P90Ms, 12);
    }

    [Fact]
    public void SampleBoxIsReadFromItsJson()
    {
        string json = TrackerBenchmark.FindShipped(TrackerBenchmark.SampleBoxFile)!;
        var box = TrackerBenchmark.ReadSampleBox(json);
        Assert.Equal(new TrackSharp.Geometry.BoxXywh(292.23, 128.36, 145.96, 132.47), box); // samples/bag.json "box"
    }
}

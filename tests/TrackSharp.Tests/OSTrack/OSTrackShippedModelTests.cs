using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Synthetic;
using TrackSharp.Tracking;
using Xunit;

namespace TrackSharp.Tests.OSTrack;

/// <summary>
/// The OSTrack weights TrackSharp trained itself (models/ostrack/small_synthetic.pth, made by the command in
/// docs/ostrack.md): the bytes are the ones models/README.md and models/SHA256SUMS state, the config beside them is the
/// experiment that made them, and the registry's "ostrack" loads them and follows a synthetic sequence sanely (finite
/// boxes of positive size inside the frame). No accuracy figure is asserted: docs/ostrack.md reports those.
/// </summary>
public sealed class OSTrackShippedModelTests
{
    private const string Relative = "ostrack/small_synthetic.pth";
    private static readonly string Weights = Path.Combine(TestPaths.RepoRoot, "models", "ostrack", "small_synthetic.pth");

    [Fact]
    public void WeightsHaveTheSha256StatedInModelsReadmeAndSums()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "models", "README.md"));
        string row = readme.Split('\n').Single(l => l.StartsWith($"| `{Relative}`", StringComparison.Ordinal));
        string stated = Regex.Match(row, "`([0-9a-f]{64})`").Groups[1].Value;
        Assert.Equal(64, stated.Length);
        Assert.Equal(stated, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Weights))));

        var sums = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "models", "SHA256SUMS"))
            .Where(l => l.Length > 0).ToDictionary(l => l[66..].Trim(), l => l[..64]);
        Assert.Equal(stated, sums[Relative]);
        string config = Path.Combine(TestPaths.RepoRoot, "models", "ostrack", "config.yaml");
        Assert.Equal(sums["ostrack/config.yaml"], Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(config))));
        // the config beside the weights (what `track`/`eval --weights` read) is the experiment that trained them
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "experiments", "ostrack", "small_synthetic.yaml")),
            File.ReadAllBytes(config));
    }

    [Fact]
    public void RegistryLoadsTheWeightsAndTracksASyntheticSequenceSanely()
    {
        string root = Directory.CreateTempSubdirectory("tracksharp-ostrack-shipped-").FullName;
        try
        {
            SyntheticDataset.Write(root, new SyntheticOptions { Sequences = 1, Frames = 8, Width = 320, Height = 240, Seed = 424242 });
            var sequence = DatasetReader.Open(root, DatasetFormat.Got10k).Sequences.Single();
            using var tracker = TrackerRegistry.Default.Create("ostrack", new TrackerOptions { WeightsPath = Weights, Threads = 1 });
            using (var first = sequence.ReadFrame(0))
                tracker.Initialize(first, sequence.GroundTruth[0]);
            for (int i = 1; i < sequence.Length; i++)
            {
                using var frame = sequence.ReadFrame(i);
                var r = tracker.Track(frame);
                var b = r.Box;
                Assert.True(double.IsFinite(b.X) && double.IsFinite(b.Y) && double.IsFinite(b.Width) && double.IsFinite(b.Height)
                            && double.IsFinite(r.Score), $"frame {i}: {r}");
                Assert.True(b.Width > 0 && b.Height > 0, $"frame {i}: empty box {b}");
                Assert.True(b.X >= 0 && b.Y >= 0 && b.X + b.Width <= frame.Width && b.Y + b.Height <= frame.Height,
                    $"frame {i}: box {b} leaves the {frame.Width}x{frame.Height} frame");
                Assert.InRange(r.Score, 0.0, 1.0);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

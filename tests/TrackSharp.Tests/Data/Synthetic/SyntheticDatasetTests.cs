using System.Security.Cryptography;
using OpenCvSharp;
using TrackSharp.Data.Datasets;
using TrackSharp.Geometry;
using TrackSharp.Data.Synthetic;
using TrackSharp.Imaging;
using TrackSharp.Tests.Cli;
using TrackSharp.Tests.Imaging;
using Xunit;

namespace TrackSharp.Tests.Data.Synthetic;

/// <summary>
/// The synthetic generator: its output is a GOT-10k folder the project's reader and checker accept, it is byte-identical
/// for a seed, its labels follow the GOT-10k conventions (visible boxes inside the image, absence 1 when nothing is
/// visible, cover below 8 under an occluder), and its boxes sit on the drawn object (checked on the decoded pixels).
/// </summary>
public sealed class SyntheticDatasetTests
{
    private static readonly SyntheticOptions Small = new() { Sequences = 3, Frames = 12, Width = 96, Height = 72, Seed = 7 };

    /// <summary>Every event forced on, long enough for the events to fit (40 frames: 3 events of 10 frames).</summary>
    private static readonly SyntheticOptions Eventful = new()
    {
        Sequences = 3, Frames = 40, Width = 128, Height = 96, Seed = 3,
        Difficulty = SyntheticDifficulty.Medium with { OcclusionEvents = 2, FullOcclusionShare = 0.5, OutOfViewProbability = 1 },
    };

    [Fact]
    public void OutputReadsBackAsGot10kWithTheRequestedCounts()
    {
        using var dir = new TempDir();
        string root = dir.File("synth");
        var summary = SyntheticDataset.Write(root, Small);

        var dataset = DatasetReader.Open(root, DatasetFormat.Got10k);
        Assert.Equal(DatasetFormat.Got10k, DatasetReader.Detect(root));
        Assert.Equal(["GOT-10k_Synth_000001", "GOT-10k_Synth_000002", "GOT-10k_Synth_000003"], dataset.Sequences.Select(s => s.Name));
        Assert.Equal(summary.Sequences, dataset.Sequences.Select(s => s.Name));
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "list.txt")), summary.Sequences);
        foreach (var s in dataset.Sequences)
        {
            Assert.Equal(12, s.Length);
            Assert.Equal(12, s.GroundTruth.Count);
            Assert.Equal(12, s.Absent!.Count);
            Assert.Equal(12, s.Cover!.Count);
            Assert.Equal((96, 72), s.ImageSize);
            Assert.Equal("(96, 72)", s.Attributes["resolution"]);
            Assert.Equal((96, 72), TrackSharp.Evaluation.Got10k.Got10kValDataset.ReadResolution(Path.Combine(s.FrameFolder, "meta_info.ini")));
            Assert.False(string.IsNullOrEmpty(s.Attributes["object_class"]));
            Assert.False(string.IsNullOrEmpty(s.Attributes["motion_class"]));
            Assert.True(s.IsVisible(0)); // the first frame always shows the target
            Assert.Equal("00000001.jpg", Path.GetFileName(s.FramePaths[0]));
            using var frame = s.ReadFrame(11);
            Assert.Equal(MatType.CV_8UC3, frame.Type());
        }
        Assert.Equal(36, summary.Frames);
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherBytes()
    {
        using var dir = new TempDir();
        var opts = Small with { Sequences = 2, Frames = 6 };
        SyntheticDataset.Write(dir.File("a"), opts);
        SyntheticDataset.Write(dir.File("b"), opts);
        SyntheticDataset.Write(dir.File("c"), opts with { Seed = 8 });
        var a = Hashes(dir.File("a"));
        Assert.Equal(2 * (6 + 4) + 1, a.Count);
        Assert.Equal(a, Hashes(dir.File("b")));
        var c = Hashes(dir.File("c"));
        Assert.Equal(a.Keys, c.Keys);
        Assert.All(a.Keys.Where(k => k.EndsWith(".jpg")), k => Assert.NotEqual(a[k], c[k]));
        Assert.NotEqual(a[Path.Combine("GOT-10k_Synth_000001", "groundtruth.txt")], c[Path.Combine("GOT-10k_Synth_000001", "groundtruth.txt")]);
        // Sequence i does not depend on how many sequences are written.
        SyntheticDataset.Write(dir.File("d"), opts with { Sequences = 1 });
        var d = Hashes(dir.File("d"));
        Assert.All(d.Keys.Where(k => k.StartsWith("GOT-10k_Synth_000001")), k => Assert.Equal(a[k], d[k]));
    }

    private static SortedDictionary<string, string> Hashes(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    [Fact]
    public void LabelsFollowTheGot10kConventions()
    {
        using var dir = new TempDir();
        string root = dir.File("events");
        SyntheticDataset.Write(root, Eventful);
        var dataset = DatasetReader.Open(root, DatasetFormat.Got10k);
        int outOfView = 0, fullyHidden = 0, partlyHidden = 0, occluded = 0;
        for (int i = 0; i < dataset.Sequences.Count; i++)
        {
            var s = dataset.Sequences[i];
            using var plan = new SyntheticSequence(Eventful, i);
            for (int t = 0; t < s.Length; t++)
            {
                var box = s.GroundTruth[t];
                bool absent = s.Absent![t];
                int cover = s.Cover![t];
                Assert.True(box.IsValid, $"{s.Name} frame {t}: {box}"); // finite, positive size, never NaN
                Assert.InRange(cover, 0, 8);
                Assert.Equal(absent, cover == 0);
                bool inside = box.X >= 0 && box.Y >= 0 && box.Right <= 128 && box.Bottom <= 96;
                if (!absent) Assert.True(inside, $"{s.Name} frame {t}: visible target's box {box} leaves the 128x96 image");
                if (!box.Intersects(128, 96))
                {
                    Assert.True(absent, $"{s.Name} frame {t}: box {box} outside the image but absence 0");
                    outOfView++;
                }
                // Hand geometry from the plan: an occluder over the object's centre pixel hides part of it (cover < 8);
                // an occluder containing the whole object box hides it all (absence 1, cover 0).
                var o = plan.Truth[t].ObjectBox;
                // The written box is the object's box, clipped to the image when the target can be seen.
                double ex0 = Math.Max(0, o.X), ey0 = Math.Max(0, o.Y);
                var expected = absent ? o : new BoxXywh(ex0, ey0, Math.Min(128, o.Right) - ex0, Math.Min(96, o.Bottom) - ey0);
                Assert.Equal(expected, box);
                int cx = (int)(o.X + o.Width / 2), cy = (int)(o.Y + o.Height / 2);
                foreach (var occ in plan.Truth[t].Occluders)
                {
                    if (cx >= occ.X && cx < occ.Right && cy >= occ.Y && cy < occ.Bottom && o.Intersects(128, 96))
                    {
                        Assert.True(cover < 8, $"{s.Name} frame {t}: occluder {occ} over the centre of {o} but cover {cover}");
                        occluded++;
                    }
                    if (occ.X <= o.X && occ.Y <= o.Y && occ.Right >= o.Right && occ.Bottom >= o.Bottom)
                    {
                        Assert.True(absent && cover == 0, $"{s.Name} frame {t}: object {o} under occluder {occ} but absence 0");
                        fullyHidden++;
                    }
                }
                if (cover is > 0 and < 8) partlyHidden++;
            }
        }
        // The forced events happened: out-of-view frames, full and partial occlusions.
        Assert.True(outOfView > 0, "no out-of-view frame");
        Assert.True(fullyHidden > 0, "no fully occluded frame");
        Assert.True(occluded > 0 && partlyHidden > 0, "no partly occluded frame");
    }

    [Fact]
    public void TheBoxCoversTheDrawnObject()
    {
        // Plain background, no distractors or occluders: every pixel that differs from the background colour is the
        // target's, and the target's colours are far from it (the generator keeps >= 150 apart in sum of |dB|+|dG|+|dR|
        // where it can; 60 leaves room for JPEG error).
        using var dir = new TempDir();
        string root = dir.File("plain");
        var opts = new SyntheticOptions { Sequences = 4, Frames = 5, Width = 160, Height = 120, Seed = 11, Difficulty = SyntheticDifficulty.None };
        SyntheticDataset.Write(root, opts);
        var dataset = DatasetReader.Open(root, DatasetFormat.Got10k);
        foreach (var s in dataset.Sequences)
        for (int t = 0; t < s.Length; t += 2)
        {
            using var frame = s.ReadFrame(t);
            var box = s.GroundTruth[t];
            Assert.False(s.Absent![t]);
            Assert.Equal(8, s.Cover![t]);
            var background = MedianColour(frame);
            int x0 = (int)box.X, y0 = (int)box.Y, x1 = (int)box.Right, y1 = (int)box.Bottom; // pixels x0..x1-1
            int inside = 0, insideObject = 0, outside = 0, outsideObject = 0;
            int height = frame.Rows, width = frame.Cols;
            var rows = new int[height];
            var cols = new int[width];
            for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var p = frame.At<Vec3b>(y, x);
                bool isObject = Math.Abs(p.Item0 - background.Item0) + Math.Abs(p.Item1 - background.Item1) + Math.Abs(p.Item2 - background.Item2) > 60;
                bool inBox = x >= x0 && x < x1 && y >= y0 && y < y1;
                // JPEG ringing reaches a pixel or two around edges: leave a 2-pixel ring out of the outside count.
                bool nearBox = x >= x0 - 2 && x < x1 + 2 && y >= y0 - 2 && y < y1 + 2;
                if (inBox)
                {
                    inside++;
                    if (isObject) { insideObject++; rows[y]++; cols[x]++; }
                }
                else if (!nearBox)
                {
                    outside++;
                    if (isObject) outsideObject++;
                }
            }
            string where = $"{s.Name} frame {t} box {box} on background {background}";
            // An ellipse fills pi/4 = 0.785 of its box, a rectangle all of it.
            Assert.True(insideObject >= 0.7 * inside, $"{where}: {insideObject}/{inside} object pixels inside");
            Assert.True(outsideObject <= 0.002 * outside, $"{where}: {outsideObject}/{outside} object pixels outside");
            // Tight: the object reaches the box's first and last rows and columns (within one pixel).
            Assert.True(rows[y0] + rows[y0 + 1] > 0 && rows[y1 - 1] + rows[y1 - 2] > 0, $"{where}: top or bottom row empty");
            Assert.True(cols[x0] + cols[x0 + 1] > 0 && cols[x1 - 1] + cols[x1 - 2] > 0, $"{where}: left or right column empty");
        }
    }

    private static Vec3b MedianColour(Mat frame)
    {
        var b = new List<byte>();
        var g = new List<byte>();
        var r = new List<byte>();
        int height = frame.Rows, width = frame.Cols;
        for (int y = 0; y < height; y += 2)
        for (int x = 0; x < width; x += 2)
        {
            var p = frame.At<Vec3b>(y, x);
            b.Add(p.Item0);
            g.Add(p.Item1);
            r.Add(p.Item2);
        }
        static byte Median(List<byte> v) { v.Sort(); return v[v.Count / 2]; }
        return new Vec3b(Median(b), Median(g), Median(r));
    }

    [Fact]
    public void RefusesANonEmptyFolderUnlessOverwriting()
    {
        using var dir = new TempDir();
        string root = dir.File("out");
        var opts = Small with { Sequences = 2, Frames = 3 };
        SyntheticDataset.Write(root, opts);
        File.WriteAllText(Path.Combine(root, "keep.txt"), "mine");
        var e = Assert.Throws<ArgumentException>(() => SyntheticDataset.Write(root, opts));
        Assert.Contains("not empty", e.Message);
        SyntheticDataset.Write(root, opts with { Sequences = 1, Frames = 2 }, overwrite: true);
        Assert.True(File.Exists(Path.Combine(root, "keep.txt")));
        var dataset = DatasetReader.Open(root, DatasetFormat.Got10k);
        Assert.Equal(2, Assert.Single(dataset.Sequences).Length);
        Assert.False(Directory.Exists(Path.Combine(root, "GOT-10k_Synth_000002")));
    }

    [Fact]
    public void BadOptionsAreRejectedByName()
    {
        Assert.Contains("frame size", Assert.Throws<ArgumentException>(() => new SyntheticOptions { Width = 8 }.Validate()).Message);
        Assert.Contains("difficulty", Assert.Throws<ArgumentException>(() => SyntheticDifficulty.Parse("brutal")).Message);
        Assert.Contains("occlusion", Assert.Throws<ArgumentException>(() =>
            new SyntheticOptions { Difficulty = SyntheticDifficulty.Hard with { OcclusionEvents = -1 } }.Validate()).Message);
    }
}

/// <summary><c>datasets synthesize</c> end to end, then <c>datasets check</c> on what it wrote.</summary>
[Collection(CliCollection.Name)]
public sealed class DatasetsSynthesizeVerbTests
{
    [Fact]
    public void SynthesizedFolderPassesDatasetsCheck()
    {
        using var dir = new TempDir();
        string root = dir.File("synth");
        var made = CliRunner.Run("datasets", "synthesize", root, "--sequences", "2", "--frames", "30", "--size", "96x72", "--seed", "5",
            "--difficulty", "hard");
        Assert.True(made.ExitCode == 0, made.Output + made.Errors);
        Assert.Contains("wrote 2 sequences, 60 frames", made.Output.Replace("\n", ""));
        var check = CliRunner.Run("datasets", "check", root, "--decode");
        Assert.True(check.ExitCode == 0, check.Output + check.Errors);
        Assert.Contains("0 problem(s)", check.Output);
        Assert.Contains("got10k", check.Output);

        // Same command again: refused without --overwrite (exit 2, one line), accepted with it.
        var again = CliRunner.Run("datasets", "synthesize", root, "--frames", "5");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("not empty", again.Errors);
        Assert.Equal(0, CliRunner.Run("datasets", "synthesize", root, "--frames", "5", "--sequences", "1", "--overwrite").ExitCode);
    }

    [Theory]
    [InlineData("--size", "320by240", "--size")]
    [InlineData("--frames", "0", "frames")]
    [InlineData("--difficulty", "brutal", "difficulty")]
    public void BadOptionsExitTwo(string option, string value, string mentioned)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("datasets", "synthesize", dir.File("x"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mentioned, r.Errors + r.Output);
        Assert.False(Directory.Exists(dir.File("x")));
    }
}

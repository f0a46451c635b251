using System.Text.RegularExpressions;
using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Tracking;
using TrackSharp.Tracking.Baselines;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Baselines;

/// <summary>The OpenCV baselines on real frames: data/otb/David (images 0300.jpg.., ground truth row i = i-th image).</summary>
public sealed class OpenCvTrackerTests(ITestOutputHelper output)
{
    private static readonly string David = Path.Combine(TestPaths.Shared, "data", "otb", "David");

    private static (string[] Images, BoxXywh[] Truth) LoadDavid(int frames)
    {
        string[] images = Directory.GetFiles(Path.Combine(David, "img"), "*.jpg").Order(StringComparer.Ordinal).Take(frames).ToArray();
        BoxXywh[] truth = File.ReadLines(Path.Combine(David, "groundtruth_rect.txt"))
            .Where(line => line.Trim().Length > 0)
            .Take(frames)
            .Select(line =>
            {
                var v = Regex.Split(line.Trim(), "[,\t ]+").Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                return new BoxXywh(v[0], v[1], v[2], v[3]);
            })
            .ToArray();
        Assert.Equal(frames, images.Length);
        Assert.Equal(frames, truth.Length);
        return (images, truth);
    }

    [Theory]
    [InlineData("csrt")]
    [InlineData("kcf")]
    [InlineData("mil")]
    public void FollowsDavid_MeanIoUAboveBound(string name)
    {
        const int frames = 30;
        var (images, truth) = LoadDavid(frames);
        using var tracker = TrackerRegistry.Default.Create(name);
        Assert.Equal(name, tracker.Name);

        using (var first = Cv2.ImRead(images[0]))
            tracker.Initialize(first, truth[0]);

        var ious = new List<double>();
        int lost = 0;
        for (int i = 1; i < frames; i++)
        {
            using var frame = Cv2.ImRead(images[i]);
            TrackResult r = tracker.Track(frame);
            Assert.True(double.IsFinite(r.Box.X) && double.IsFinite(r.Box.Y) && double.IsFinite(r.Box.Width)
                        && double.IsFinite(r.Box.Height) && double.IsFinite(r.Score), $"frame {i}: {r}");
            Assert.True(r.Score is 0.0 or 1.0);
            Assert.Equal(r.Score < 0.3, r.TargetLost);
            if (r.TargetLost) lost++;
            ious.Add(r.Box.IoU(truth[i]));
        }
        double mean = ious.Average();
        output.WriteLine($"{name}: mean IoU {mean:F3} over frames 2..{frames} of David, {lost} lost");
        Assert.True(mean > 0.3, $"{name}: mean IoU {mean:F3}");
    }

    public static TheoryData<string, double, double, double, double> BadBoxes => new()
    {
        { "csrt", 10, 10, 0, 20 },
        { "kcf", 10, 10, 20, -5 },
        { "mil", 400, 10, 20, 20 },
        { "csrt", -50, -50, 20, 20 },
        { "kcf", double.NaN, 10, 20, 20 },
    };

    [Theory]
    [MemberData(nameof(BadBoxes))]
    public void InvalidInitialBox_Throws(string name, double x, double y, double w, double h)
    {
        using var tracker = TrackerRegistry.Default.Create(name);
        using var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(128));
        var e = Assert.Throws<ArgumentException>(() => tracker.Initialize(frame, new BoxXywh(x, y, w, h)));
        output.WriteLine(e.Message);
    }

    [Theory]
    [InlineData("csrt")]
    [InlineData("kcf")]
    [InlineData("mil")]
    public void InvalidFrames_Throw(string name)
    {
        using var tracker = TrackerRegistry.Default.Create(name);
        using var empty = new Mat();
        using var gray = new Mat(240, 320, MatType.CV_8UC1, Scalar.All(128));
        using var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(128));
        var box = new BoxXywh(100, 100, 40, 40);
        Assert.Throws<InvalidOperationException>(() => tracker.Track(frame));
        Assert.Throws<ArgumentException>(() => tracker.Initialize(empty, box));
        Assert.Throws<ArgumentException>(() => tracker.Initialize(gray, box));
        tracker.Initialize(frame, box);
        Assert.Throws<ArgumentException>(() => tracker.Track(empty));
        Assert.Throws<ArgumentException>(() => tracker.Track(gray));
    }

    [Fact]
    public void BoxPartlyOutsideFrame_IsClippedAndTracks()
    {
        using var tracker = new OpenCvTracker(OpenCvTrackerKind.Kcf);
        using var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(0));
        Cv2.Rectangle(frame, new Rect(0, 0, 30, 30), Scalar.All(255), -1);
        tracker.Initialize(frame, new BoxXywh(-10, -10, 40, 40));
        var r = tracker.Track(frame);
        Assert.True(r.Box.IsValid);
    }

    [Fact]
    public void Registry_ListsBaselines()
    {
        var names = TrackerRegistry.Default.Entries.Select(e => e.Name).ToArray();
        Assert.Contains("csrt", names);
        Assert.Contains("kcf", names);
        Assert.Contains("mil", names);
    }
}

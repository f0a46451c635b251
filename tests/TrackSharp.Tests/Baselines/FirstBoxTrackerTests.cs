using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Tracking;
using Xunit;

namespace TrackSharp.Tests.Baselines;

/// <summary>The trivial "firstbox" baseline: whatever the frames show, every frame gets the initial box.</summary>
public sealed class FirstBoxTrackerTests
{
    [Fact]
    public void RepeatsTheInitialBoxWhateverTheFrames()
    {
        using var tracker = TrackerRegistry.Default.Create("firstbox");
        Assert.Equal("firstbox", tracker.Name);
        Assert.True(TrackerRegistry.Default.IsDeterministic("firstbox"));
        var box = new BoxXywh(10.5, 20.25, 30, 40);
        using (var first = new Mat(120, 160, MatType.CV_8UC3, new Scalar(10, 20, 30)))
            tracker.Initialize(first, box);
        foreach (int value in new[] { 0, 128, 255 })
        {
            using var other = new Mat(90, 100, MatType.CV_8UC3, new Scalar(value, value, value)); // another size too
            var result = tracker.Track(other);
            Assert.Equal(box, result.Box);
            Assert.Equal(1.0, result.Score);
            Assert.False(result.TargetLost);
        }
    }

    [Fact]
    public void RejectsTrackBeforeInitAndABoxOutsideTheFrame()
    {
        using var tracker = TrackerRegistry.Default.Create("firstbox");
        using var frame = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(0));
        Assert.Throws<InvalidOperationException>(() => tracker.Track(frame));
        Assert.Throws<ArgumentException>(() => tracker.Initialize(frame, new BoxXywh(200, 10, 20, 20)));
        Assert.Throws<ArgumentException>(() => tracker.Initialize(frame, new BoxXywh(10, 10, 0, 20)));
    }
}

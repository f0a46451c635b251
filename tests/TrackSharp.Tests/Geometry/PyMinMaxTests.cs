using TrackSharp.Geometry;
using TrackSharp.Tracking;
using Xunit;

namespace TrackSharp.Tests.Geometry;

/// <summary>Python's min/max semantics with NaN, and the BAN state clip that relies on them: a diverged network
/// (NaN box) leaves the tracker at pysot's bounds (centre 0, size 10) instead of poisoning the next crop.</summary>
public sealed class PyMinMaxTests
{
    [Fact]
    public void NaNBecomesTheBoundWrittenFirst()
    {
        Assert.Equal(0, PyMinMax.Max(0, PyMinMax.Min(double.NaN, 640)));   // max(0, min(nan, 640)) == 0 in Python
        Assert.Equal(640, PyMinMax.Max(0, PyMinMax.Min(640, double.NaN)));  // max(0, min(640, nan)) == 640
        Assert.Equal(10, PyMinMax.Max(10, double.NaN));
        Assert.True(double.IsNaN(PyMinMax.Min(double.NaN, 1)));
        Assert.Equal(3, PyMinMax.Min(5, 3));
        Assert.Equal(5, PyMinMax.Max(5, 3));
        Assert.Equal(640, PyMinMax.Max(0, PyMinMax.Min(double.PositiveInfinity, 640)));
    }

    [Fact]
    public void BanStateUpdateClipsANaNBoxLikePysot()
    {
        float[] boxes = [float.NaN, float.NaN, float.NaN, float.NaN]; // one point: cx, cy, w, h
        float[] penalty = [1f], score = [float.NaN];
        var update = BanScoring.UpdateState(boxes, penalty, score, best: 0, scaleZ: 1, learningRate: 0.3,
            centerX: 100, centerY: 80, width: 40, height: 30, imageWidth: 640, imageHeight: 480);
        Assert.Equal((0.0, 0.0, 10.0, 10.0), (update.CenterX, update.CenterY, update.Width, update.Height));
    }
}

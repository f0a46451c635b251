using TorchSharp.PyBridge;
using Xunit;
using Xunit.Sdk;

namespace TrackSharp.Tests.Training;

/// <summary>
/// The shared trainer-test helpers can fail: weight files of two different initialisations differ, a scalar series
/// with a missing or doubled step is refused, and the scratch folder is gone after dispose.
/// </summary>
public sealed class TrainerTestKitTests
{
    [Fact]
    public void WeightComparisonPassesForEqualAndFailsForDifferentFiles()
    {
        using var scratch = TrainerTestKit.Scratch();
        Directory.CreateDirectory(scratch.Path);
        string a = Path.Combine(scratch.Path, "a.pth"), b = Path.Combine(scratch.Path, "b.pth"), c = Path.Combine(scratch.Path, "c.pth");
        using (var model = TinyTraining.Model(seed: 1)) model.save_py(a);
        using (var model = TinyTraining.Model(seed: 1)) model.save_py(b);
        using (var model = TinyTraining.Model(seed: 2)) model.save_py(c);

        TrainerTestKit.AssertSameWeights(a, b);
        var e = Assert.ThrowsAny<XunitException>(() => TrainerTestKit.AssertSameWeights(a, c));
        Assert.Contains("fc1.weight", e.Message);
    }

    [Fact]
    public void ScalarSeriesNeedsExactlyOneValuePerStep()
    {
        var events = new List<ReadEvent>
        {
            new(0, 0, null, [("loss", 3f)]),
            new(0, 1, null, [("loss", 2f), ("lr", 0.1f)]),
            new(0, 2, null, [("lr", 0.1f)]),
        };
        Assert.Equal([3.0, 2.0], TrainerTestKit.ScalarSeries(events, "loss", 2));
        Assert.Throws<InvalidOperationException>(() => TrainerTestKit.ScalarSeries(events, "loss", 3)); // step 2 has none
        events.Add(new(0, 1, null, [("loss", 1f)]));
        Assert.Throws<InvalidOperationException>(() => TrainerTestKit.ScalarSeries(events, "loss", 2)); // step 1 twice
    }

    [Fact]
    public void ScratchFolderIsDeletedOnDispose()
    {
        string path;
        using (var scratch = TrainerTestKit.Scratch())
        {
            path = scratch.Path;
            Assert.False(Directory.Exists(path));
            Directory.CreateDirectory(Path.Combine(path, "inner"));
            File.WriteAllText(Path.Combine(path, "inner", "x.txt"), "x");
        }
        Assert.False(Directory.Exists(path));
    }
}

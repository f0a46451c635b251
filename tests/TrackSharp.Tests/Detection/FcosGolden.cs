using TrackSharp.Checkpoints;
using TrackSharp.Detection;
using Xunit.Sdk;

namespace TrackSharp.Tests.Detection;

/// <summary>Paths into golden/fcos_small and helpers to compare detection lists with golden boxes/scores/labels keys.</summary>
internal static class FcosGolden
{
    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "fcos_small");
    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>The detections stored under <paramref name="prefix"/>/{boxes,scores,labels}, in stored order.</summary>
    public static List<DetectedBox> Read(Npz npz, string prefix)
    {
        var boxes = npz[prefix + "/boxes"].ToFloatArray();
        var scores = npz[prefix + "/scores"].ToFloatArray();
        var labels = npz[prefix + "/labels"].ToLongArray();
        if (boxes.Length != 4 * scores.Length || labels.Length != scores.Length)
            throw new XunitException($"{prefix}: inconsistent lengths");
        return Enumerable.Range(0, scores.Length)
            .Select(i => new DetectedBox(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], scores[i], labels[i]))
            .ToList();
    }

    /// <summary>Bit-exact comparison in order.</summary>
    public static void AssertSameInOrder(IReadOnlyList<DetectedBox> expected, IReadOnlyList<DetectedBox> actual, string what)
    {
        if (expected.Count != actual.Count)
            throw new XunitException($"{what}: {actual.Count} detections, expected {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
            if (!expected[i].Equals(actual[i]))
                throw new XunitException($"{what}[{i}]: {actual[i]} vs expected {expected[i]}");
    }

    /// <summary>Bit-exact comparison as multisets (the reference's order inside a level is implementation-defined).</summary>
    public static void AssertSameAsSets(IReadOnlyList<DetectedBox> expected, IReadOnlyList<DetectedBox> actual, string what)
        => AssertSameInOrder(Canonical(expected), Canonical(actual), what + " (as a set)");

    private static List<DetectedBox> Canonical(IReadOnlyList<DetectedBox> d) =>
        d.OrderByDescending(x => x.Score).ThenBy(x => x.Label).ThenBy(x => x.X1).ThenBy(x => x.Y1)
            .ThenBy(x => x.X2).ThenBy(x => x.Y2).ToList();
}

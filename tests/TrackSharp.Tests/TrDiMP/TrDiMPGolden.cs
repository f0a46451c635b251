using TrackSharp.Checkpoints;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>Paths into golden/trdimp_small and small helpers shared by the TrDiMP parity tests.</summary>
internal static class TrDiMPGolden
{
    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "trdimp_small");
    public static string WeightsPath => Path.Combine(Folder, "weights.pth");
    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>Largest |a − e| / max(1, |e|) over all elements (float64 comparison).</summary>
    public static double MaxMixedError(Tensor expected, Tensor actual)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new Xunit.Sdk.XunitException($"shape [{string.Join(", ", actual.shape)}] != expected [{string.Join(", ", expected.shape)}]");
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float64);
        var a = actual.detach().to(ScalarType.Float64);
        return ((a - e).abs() / e.abs().clamp_min(1.0)).max().item<double>();
    }

    /// <summary>Largest absolute difference.</summary>
    public static double MaxAbsError(Tensor expected, Tensor actual)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new Xunit.Sdk.XunitException($"shape [{string.Join(", ", actual.shape)}] != expected [{string.Join(", ", expected.shape)}]");
        using var scope = NewDisposeScope();
        return (expected.to(ScalarType.Float64) - actual.detach().to(ScalarType.Float64)).abs().max().item<double>();
    }

    public static void AssertClose(Npz golden, string key, Tensor actual, double tolerance)
    {
        using var expected = golden.Tensor(key);
        double err = MaxMixedError(expected, actual);
        if (!(err <= tolerance))
            throw new Xunit.Sdk.XunitException($"{Path.GetFileName(golden.Source)}:{key}: max error {err:E3} exceeds {tolerance:E1}");
    }
}

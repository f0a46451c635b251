using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Imaging;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>Paths into golden/trdimp_small and small helpers shared by the TrDiMP parity tests.</summary>
internal static class TrDiMPGolden
{
    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "trdimp_small");
    public static string WeightsPath => Path.Combine(Folder, "weights.pth");
    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>The box the golden runs initialise on, frame 0, pixel xywh.</summary>
    public static readonly (float X, float Y, float W, float H) InitBox = (302, 111, 166, 249);

    /// <summary>A golden JSON file's root element.</summary>
    public static JsonElement Json(string name) => JsonDocument.Parse(System.IO.File.ReadAllText(File(name))).RootElement;

    /// <summary>Frame <paramref name="k"/> of golden/trdimp_small/frames as the tracker's input: RGB float32, 0..255.</summary>
    public static Tensor Frame(int k)
    {
        using var bgr = Cv2.ImRead(Path.Combine(Folder, "frames", $"{k:00000}.jpg"));
        return TensorImage.ToTensor(bgr, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb });
    }

    /// <summary>
    /// <see cref="TrDiMPInitialization"/> on frame 0 at <see cref="InitBox"/> with the reference's random draws replayed
    /// from init.npz (<c>init_rand_shift_uniforms</c> in order, <c>dropout_channel_keep</c>), as the golden runs did.
    /// </summary>
    public static (TrDiMPTrackerState State, TrDiMPInitDiagnostics Diagnostics) Initialize(TrDiMPNet net, Npz init,
        TrDiMPTrackerParams parameters)
    {
        var uniforms = init.Tensor("init_rand_shift_uniforms");
        int next = 0;
        var keep = init.Tensor("dropout_channel_keep");
        return TrDiMPInitialization.Run(net, parameters, Frame(0), InitBox, () => uniforms[next++], (n, c) => keep);
    }

    /// <summary>
    /// Asserts <paramref name="actual"/> (reshaped to the golden array's shape) within <paramref name="tolerance"/> of
    /// <paramref name="golden"/>'s <paramref name="key"/> by <see cref="MaxMixedError"/>, logs the error and returns it.
    /// </summary>
    public static double Check(Npz golden, string key, Tensor actual, double tolerance, ITestOutputHelper output)
    {
        using var expected = golden.Tensor(key);
        double err = MaxMixedError(expected, actual.reshape(expected.shape));
        output.WriteLine($"{key}: {err:E2}");
        Assert.True(err <= tolerance, $"{Path.GetFileName(golden.Source)}:{key}: max error {err:E3} > {tolerance:E1}");
        return err;
    }

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

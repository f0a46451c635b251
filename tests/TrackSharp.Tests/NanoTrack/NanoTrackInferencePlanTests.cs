using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Imaging;
using TrackSharp.Trackers.NanoTrack;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>
/// The prepared network (<see cref="NanoTrackModel.PrepareForInference"/>: BN folded, channels-last, template
/// work precomputed) against the plain modules it was prepared from, on the golden crops of
/// golden/nanotrack/v*/tennis_teacher_forced.npz (keys template/z_crop_hwc_bgr and track/x_crop_first_hwc_bgr).
/// The expected values are the modules' outputs, which NanoTrackModelTests checks against the reference.
/// </summary>
public class NanoTrackInferencePlanTests
{
    private const double Tolerance = 1e-4;
    private const int SearchCropBytes = 255 * 255 * 3;

    public static TheoryData<NanoTrackVersion> Versions => NanoTrackModelTests.Versions;

    [Theory, MemberData(nameof(Versions))]
    public void PreparedNetworkEqualsTheModulesOnTheGoldenCrops(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        using var model = NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(version));
        model.eval();
        using var noGrad = no_grad();
        using var plan = model.PrepareForInference();

        using var templateCrop = Mat.FromPixelData(127, 127, MatType.CV_8UC3, golden.U8("template/z_crop_hwc_bgr"));
        using var templateInput = Input(templateCrop);
        using var zf = model.Embed(templateInput);
        using var zfPlan = plan.Embed(templateInput);
        AssertClose(zf, zfPlan, "template features");
        plan.SetTemplate(zfPlan);

        var crops = golden.U8("track/x_crop_first_hwc_bgr");
        for (int j = 0; j < 3; j++)
        {
            using var crop = Mat.FromPixelData(255, 255, MatType.CV_8UC3, crops[(j * SearchCropBytes)..((j + 1) * SearchCropBytes)]);
            using var input = Input(crop);
            using var xf = model.Embed(input);
            using var xfPlan = plan.Embed(input);
            AssertClose(xf, xfPlan, $"search features [{j}]");
            var (cls, loc) = model.Head(zf, xf);
            var (clsPlan, locPlan) = plan.Head(xfPlan);
            using (cls) using (loc) using (clsPlan) using (locPlan)
            {
                AssertClose(cls, clsPlan, $"cls [{j}]");
                AssertClose(loc, locPlan, $"loc [{j}]");
            }
        }
    }

    [Theory, MemberData(nameof(Versions))]
    public void ANewTemplateReplacesThePrecomputedTemplateWork(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        using var model = NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(version));
        model.eval();
        using var noGrad = no_grad();
        using var plan = model.PrepareForInference();

        using var first = Mat.FromPixelData(127, 127, MatType.CV_8UC3, golden.U8("template/z_crop_hwc_bgr"));
        using var second = new Mat();
        Cv2.Flip(first, second, FlipMode.Y);
        using (var firstInput = Input(first))
        using (var zfFirst = plan.Embed(firstInput))
            plan.SetTemplate(zfFirst);
        using var secondInput = Input(second);
        using var zf = model.Embed(secondInput);
        using var zfPlan = plan.Embed(secondInput);
        plan.SetTemplate(zfPlan);

        using var crop = Mat.FromPixelData(255, 255, MatType.CV_8UC3, golden.U8("track/x_crop_first_hwc_bgr")[..SearchCropBytes]);
        using var input = Input(crop);
        using var xf = model.Embed(input);
        using var xfPlan = plan.Embed(input);
        var (cls, loc) = model.Head(zf, xf);
        var (clsPlan, locPlan) = plan.Head(xfPlan);
        using (cls) using (loc) using (clsPlan) using (locPlan)
        {
            AssertClose(cls, clsPlan, "cls after a second template");
            AssertClose(loc, locPlan, "loc after a second template");
        }
    }

    [Theory, MemberData(nameof(Versions))]
    public void TrackingNetworkEqualsTheModules(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        using var model = NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(version));
        model.eval();
        using var network = new TorchNanoTrackNetwork(NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(version)));
        using var noGrad = no_grad();

        using var templateCrop = Mat.FromPixelData(127, 127, MatType.CV_8UC3, golden.U8("template/z_crop_hwc_bgr"));
        network.SetTemplate(templateCrop);
        using var crop = Mat.FromPixelData(255, 255, MatType.CV_8UC3, golden.U8("track/x_crop_first_hwc_bgr")[..SearchCropBytes]);
        int n = network.ScoreSize * network.ScoreSize;
        var clsOut = new float[2 * n];
        var locOut = new float[4 * n];
        network.Track(crop, clsOut, locOut);

        using var templateInput = Input(templateCrop);
        using var searchInput = Input(crop);
        using var zf = model.Embed(templateInput);
        using var xf = model.Embed(searchInput);
        var (cls, loc) = model.Head(zf, xf);
        using (cls) using (loc)
        {
            Tests.Tolerance.AssertClose(cls.contiguous().data<float>().ToArray(), clsOut, Tolerance, "Track cls");
            Tests.Tolerance.AssertClose(loc.contiguous().data<float>().ToArray(), locOut, Tolerance, "Track loc");
        }
    }

    [Theory, MemberData(nameof(Versions))]
    public void PreparingLeavesTheModulesAndStateDictUnchanged(NanoTrackVersion version)
    {
        using var model = NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(version));
        model.eval();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (model.PrepareForInference()) { }
        var after = model.state_dict();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, value) in before)
        {
            // Same shape, dtype and bytes: bit-identical.
            Assert.Equal(value.shape, after[name].shape);
            Assert.Equal(value.dtype, after[name].dtype);
            Assert.True(value.bytes.SequenceEqual(after[name].contiguous().bytes), $"{name} changed");
            value.Dispose();
        }
    }

    /// <summary>The network input of a crop as the modules take it: 1x3xHxW float32 (0..255), NCHW contiguous.</summary>
    private static Tensor Input(Mat crop)
    {
        var input = zeros(1, 3, crop.Rows, crop.Cols);
        PlanarConversion.CopyToPlanarFloat(crop, MemoryMarshal.Cast<byte, float>(input.bytes));
        return input;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Tests.Tolerance.AssertClose(expected.contiguous().data<float>().ToArray(),
            actual.contiguous().data<float>().ToArray(), Tolerance, what);
    }
}

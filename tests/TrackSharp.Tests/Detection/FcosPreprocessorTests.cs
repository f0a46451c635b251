using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Detection.Fcos;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Detection;

/// <summary>
/// <see cref="FcosPreprocessor"/> against golden/fcos_small/train_step.npz: the reference's PIL-resized image
/// (<c>input/resized_rgb_uint8</c>, 256x341) normalised by ours equals <c>input/tensor</c> (BGR*255 - PIXEL_MEAN,
/// zero padded to 256x352) up to the reference's <c>x/255*255</c> float rounding; the full path from the 640x480 JPEG
/// (decoded as PIL does, resized with Pillow's antialiased bilinear) gives <c>input/tensor</c> bit for bit.
/// </summary>
public class FcosPreprocessorTests
{
    private readonly ITestOutputHelper _out;
    public FcosPreprocessorTests(ITestOutputHelper output) => _out = output;

    private static FcosModelOptions Options() =>
        FcosModelOptions.FromConfig(ConfigFamily.MaskRcnnBenchmark.Load(FcosGolden.File("config.yaml")));

    [Fact]
    public void Normalisation_and_padding_match_input_tensor()
    {
        using var npz = Npz.Load(FcosGolden.File("train_step.npz"));
        var rgb = npz["input/resized_rgb_uint8"];
        Assert.Equal(new long[] { 256, 341, 3 }, rgb.Shape);
        using var rgbMat = new Mat(256, 341, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(rgb.ToByteArray(), 0, rgbMat.Data, 256 * 341 * 3);
        using var bgr = new Mat();
        Cv2.CvtColor(rgbMat, bgr, ColorConversionCodes.RGB2BGR);
        using var input = new FcosPreprocessor(Options()).Prepare(bgr);   // 256x341 is already the target size
        Assert.Equal(new long[] { 1, 3, 256, 352 }, input.Images.shape);
        Assert.Equal((256, 341), (input.ResizedHeight, input.ResizedWidth));
        var expected = npz["input/tensor"].ToFloatArray();
        FcosParity.AssertAllClose(expected, FcosParity.Floats(input.Images), "input/tensor", rtol: 0, atol: 1e-4);
    }

    [Fact]
    public void Jpeg_path_gives_the_reference_network_input_exactly()
    {
        using var npz = Npz.Load(FcosGolden.File("train_step.npz"));
        using var img = TrackSharp.Detection.Data.DetectionImageReader.Read(FcosGolden.File("COCO_val2014_000000039769.jpg"));
        using var input = new FcosPreprocessor(Options()).Prepare(img);
        Assert.Equal(new long[] { 1, 3, 256, 352 }, input.Images.shape);
        var expected = npz["input/tensor"].ToFloatArray();
        var actual = FcosParity.Floats(input.Images);
        int differing = expected.Zip(actual, (e, a) => e == a ? 0 : 1).Sum();
        _out.WriteLine($"{differing} of {expected.Length} values differ from input/tensor");
        Assert.Equal(0, differing);
    }
}

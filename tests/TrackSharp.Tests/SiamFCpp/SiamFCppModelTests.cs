using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Imaging;
using TrackSharp.Trackers.SiamFCpp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>The golden small SiamFC++ model and one eval-mode forward of it on golden/siamfcpp_small/forward.npz.</summary>
public sealed class SiamFCppForwardFixture : IDisposable
{
    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "siamfcpp_small");
    public static string WeightsPath => Path.Combine(Folder, "weights.pth");
    public static string ForwardPath => Path.Combine(Folder, "forward.npz");

    public Npz Golden { get; }

    /// <summary>Our value for each forward.npz key, as float32 (shape checked separately).</summary>
    public Dictionary<string, (long[] Shape, float[] Values)> Ours { get; } = new();

    public SiamFCppForwardFixture()
    {
        Golden = Npz.Load(ForwardPath);
        using var model = SiamFCppFactory.LoadModel(WeightsPath, SiamFCppModelConfig.Small);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = Input(Golden["z_crop"]);
        var x = Input(Golden["x_crop"]);
        Keep("z_input", z);
        Keep("x_input", x);
        var fz = model.Embed(z);
        var fx = model.Embed(x);
        var (cZ, rZ) = model.TemplateKernels(fz);
        var (cX, rX) = model.SearchFeatures(fx);
        var cOut = SiamFCppModel.XCorrDepthwise(cX, cZ);
        var rOut = SiamFCppModel.XCorrDepthwise(rX, rZ);
        var head = model.Head.Forward(cOut, rOut, (int)x.shape[3]);
        var track = model.Track(cZ, rZ, x);
        var full = model.forward(z, x);
        Keep("f_z", fz);
        Keep("f_x", fx);
        Keep("c_z_k", cZ);
        Keep("r_z_k", rZ);
        Keep("c_x", cX);
        Keep("r_x", rX);
        Keep("c_out", cOut);
        Keep("r_out", rOut);
        Keep("cls_feat", head.ClsFeat);
        Keep("cls_logit", head.ClsLogit);
        Keep("ctr_logit", head.CtrLogit);
        Keep("offsets", head.Offsets);
        Keep("bbox", head.Bbox);
        Keep("fm_ctr", DenseboxHead.PointCentres(model.Config.ScoreSize, model.Config.ScoreOffset, model.Config.TotalStride));
        Keep("score", track.Score);
        Keep("cls_prob", track.ClsProb);
        Keep("ctr_prob", track.CtrProb);
        // The one-call paths must agree with the step-by-step one.
        Keep("track:bbox", track.Bbox);
        Keep("forward:cls_logit", full.ClsLogit);
        Keep("forward:ctr_logit", full.CtrLogit);
        Keep("forward:bbox", full.Bbox);
    }

    /// <summary>HWC BGR uint8 crop -> 1x3xHxW float32 0..255, via the library's Mat conversion.</summary>
    private static Tensor Input(NpyArray crop)
    {
        using var mat = Mat.FromPixelData((int)crop.Shape[0], (int)crop.Shape[1], MatType.CV_8UC3, crop.ToByteArray());
        return TensorImage.ToTensor(mat);
    }

    private void Keep(string key, Tensor t) => Ours[key] = (t.shape, t.contiguous().data<float>().ToArray());

    public void Dispose() => Golden.Dispose();
}

/// <summary>
/// SiamFC++ network parity with videoanalyst (golden/siamfcpp_small): state-dict names and shapes of
/// weights.pth, and every forward key of forward.npz within 1e-4 (|a - e| &lt;= 1e-4 * max(1, |e|)).
/// </summary>
public class SiamFCppModelTests : IClassFixture<SiamFCppForwardFixture>
{
    private const double Tol = 1e-4;
    private readonly SiamFCppForwardFixture _fixture;
    private readonly ITestOutputHelper _output;

    public SiamFCppModelTests(SiamFCppForwardFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public static TheoryData<string> ForwardKeys => new()
    {
        "z_input", "f_z", "f_x", "c_z_k", "r_z_k", "c_x", "r_x", "c_out", "r_out", "cls_feat",
        "cls_logit", "ctr_logit", "offsets", "bbox", "fm_ctr", "score", "cls_prob", "ctr_prob",
    };

    [Fact]
    public void StateDictNamesAndShapesEqualTheGoldenWeights()
    {
        using var golden = StateDict.Load(SiamFCppForwardFixture.WeightsPath);
        using var model = new SiamFCppModel(SiamFCppModelConfig.Small);
        var ours = model.state_dict();
        var missing = golden.Keys.Except(ours.Keys).Order().ToList();
        var unexpected = ours.Keys.Except(golden.Keys).Order().ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"weights.pth keys: missing in the model [{string.Join(", ", missing)}], not in weights.pth [{string.Join(", ", unexpected)}]");
        foreach (var (name, tensor) in golden)
        {
            Assert.True(tensor.shape.SequenceEqual(ours[name].shape),
                $"weights.pth {name}: model [{string.Join(", ", ours[name].shape)}] vs [{string.Join(", ", tensor.shape)}]");
            Assert.True(tensor.dtype == ours[name].dtype, $"weights.pth {name}: model {ours[name].dtype} vs {tensor.dtype}");
        }
    }

    [Fact]
    public void PublishedWidthsRejectTheSmallWeightsNamingFileAndKeys()
    {
        var error = Assert.Throws<CheckpointMismatchException>(() => SiamFCppFactory.LoadModel(SiamFCppForwardFixture.WeightsPath));
        Assert.Contains("weights.pth", error.Message);
        Assert.Contains("basemodel.conv1.conv.weight", error.Message);
    }

    [Fact]
    public void SearchInputShapeIsTheGoldenOne()
    {
        var expected = _fixture.Golden["x_input_shape"].ToLongArray();
        Assert.True(expected.SequenceEqual(_fixture.Ours["x_input"].Shape),
            $"forward.npz/x_input_shape: [{string.Join(", ", _fixture.Ours["x_input"].Shape)}] vs golden [{string.Join(", ", expected)}]");
    }

    [Theory, MemberData(nameof(ForwardKeys))]
    public void ForwardMatchesTheReference(string key)
    {
        var golden = _fixture.Golden[key];
        var (shape, values) = _fixture.Ours[key];
        Assert.True(golden.Shape.SequenceEqual(shape),
            $"forward.npz/{key}: shape [{string.Join(", ", shape)}] vs golden [{string.Join(", ", golden.Shape)}]");
        var expected = golden.Kind == 'u' ? golden.ToByteArray().Select(b => (float)b).ToArray() : golden.ToFloatArray();
        double error = Tolerance.MaxMixedError(expected, values);
        _output.WriteLine($"forward.npz/{key}: max mixed error {error:E3}");
        Tolerance.AssertClose(expected, values, Tol, $"forward.npz/{key}");
    }

    /// <summary>Each stage fed the golden inputs of that stage, so errors do not accumulate across stages.</summary>
    [Fact]
    public void StagesFedGoldenInputsMatchTheReference()
    {
        using var model = SiamFCppFactory.LoadModel(SiamFCppForwardFixture.WeightsPath, SiamFCppModelConfig.Small);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var g = _fixture.Golden;
        var (cZ, rZ) = model.TemplateKernels(g.Tensor("f_z"));
        var (cX, rX) = model.SearchFeatures(g.Tensor("f_x"));
        var cOut = SiamFCppModel.XCorrDepthwise(g.Tensor("c_x"), g.Tensor("c_z_k"));
        var rOut = SiamFCppModel.XCorrDepthwise(g.Tensor("r_x"), g.Tensor("r_z_k"));
        var head = model.Head.Forward(g.Tensor("c_out"), g.Tensor("r_out"), 303);
        foreach (var (key, tensor) in new[]
                 {
                     ("c_z_k", cZ), ("r_z_k", rZ), ("c_x", cX), ("r_x", rX), ("c_out", cOut), ("r_out", rOut),
                     ("cls_feat", head.ClsFeat), ("cls_logit", head.ClsLogit), ("ctr_logit", head.CtrLogit),
                     ("offsets", head.Offsets), ("bbox", head.Bbox),
                 })
        {
            var expected = g[key].ToFloatArray();
            var actual = tensor.contiguous().data<float>().ToArray();
            _output.WriteLine($"forward.npz/{key} from golden inputs: max mixed error {Tolerance.MaxMixedError(expected, actual):E3}");
            Tolerance.AssertClose(expected, actual, Tol, $"forward.npz/{key} (from the golden inputs of its stage)");
        }
    }

    [Theory]
    [InlineData("track:bbox", "bbox")]
    [InlineData("forward:cls_logit", "cls_logit")]
    [InlineData("forward:ctr_logit", "ctr_logit")]
    [InlineData("forward:bbox", "bbox")]
    public void OneCallPathsMatchTheReference(string ours, string key)
    {
        var (shape, values) = _fixture.Ours[ours];
        Assert.True(_fixture.Golden[key].Shape.SequenceEqual(shape), $"{ours}: shape [{string.Join(", ", shape)}]");
        Tolerance.AssertClose(_fixture.Golden[key].ToFloatArray(), values, Tol, $"forward.npz/{key} via {ours}");
    }
}

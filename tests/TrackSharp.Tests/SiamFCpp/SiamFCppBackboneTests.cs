using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Trackers.SiamFCpp.Backbones;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp;

/// <summary>
/// The SiamFC++ backbones against videoanalyst's definitions. Expected state-dict keys and shapes are written out
/// here from a reading of the reference files (megvii-research/video_analyst):
/// <c>videoanalyst/model/backbone/backbone_impl/googlenet.py</c> (Inception3: Conv2d_1a..4a, Mixed_5b..6e,
/// BasicConv2d = conv without bias + bn, channel_reduce = Conv2d(768, 256, 1) with bias + BN),
/// <c>shufflenet_v2.py</c> (ShuffleNetV2_x1_0 / _x0_5 wrap <c>_model</c>: conv1 Sequential, stage2..4 of
/// InvertedResidual with branch1/branch2 Sequentials, channel_reduce without bias), <c>alexnet_bn.py</c>, and
/// <c>task_model/taskmodel_impl/siamese_track.py</c> + <c>task_head/taskhead_impl/track_head.py</c> (c_z_k, r_z_k,
/// c_x, r_x, head.*). Parameter totals were computed by hand from the same layer lists (conv ci*co*kh*kw (+co
/// bias), BN 2c, depthwise c*9).
/// </summary>
public class SiamFCppBackboneTests
{
    /// <summary>An expected state dict: key -> shape.</summary>
    private sealed class Expected : Dictionary<string, long[]>
    {
        public void Conv(string prefix, long ci, long co, long kh, long kw, bool bias = false, long groups = 1)
        {
            this[prefix + ".weight"] = [co, ci / groups, kh, kw];
            if (bias) this[prefix + ".bias"] = [co];
        }

        public void Bn(string prefix, long c)
        {
            foreach (var k in new[] { "weight", "bias", "running_mean", "running_var" }) this[$"{prefix}.{k}"] = [c];
            this[prefix + ".num_batches_tracked"] = [];
        }

        /// <summary>googlenet.py BasicConv2d.</summary>
        public void Basic(string prefix, long ci, long co, long kh, long kw = -1)
        {
            Conv(prefix + ".conv", ci, co, kh, kw < 0 ? kh : kw);
            Bn(prefix + ".bn", co);
        }

        /// <summary>common_opr conv_bn_relu (conv with bias, optional BN).</summary>
        public void ConvBnRelu(string prefix, long ci, long co, long k, bool bn = true)
        {
            Conv(prefix + ".conv", ci, co, k, k, bias: true);
            if (bn) Bn(prefix + ".bn", co);
        }

        /// <summary>siamese_track.py neck + track_head.py DenseboxHead, width w.</summary>
        public void NeckAndHead(long w, bool[] convBn)
        {
            foreach (var n in new[] { "c_z_k", "r_z_k", "c_x", "r_x" }) ConvBnRelu(n, w, w, 3);
            for (int i = 0; i < convBn.Length; i++)
            {
                ConvBnRelu($"head.cls_p5_conv{i + 1}", w, w, 3, convBn[i]);
                ConvBnRelu($"head.bbox_p5_conv{i + 1}", w, w, 3, convBn[i]);
            }
            ConvBnRelu("head.cls_score_p5", w, 1, 1);
            ConvBnRelu("head.ctr_score_p5", w, 1, 1);
            ConvBnRelu("head.bbox_offsets_p5", w, 4, 1);
            this["head.si"] = [];
            this["head.bi"] = [];
        }
    }

    private static Expected GoogLeNetKeys()
    {
        var e = new Expected();
        const string b = "basemodel.";
        e.Basic(b + "Conv2d_1a_3x3", 3, 32, 3);
        e.Basic(b + "Conv2d_2a_3x3", 32, 32, 3);
        e.Basic(b + "Conv2d_2b_3x3", 32, 64, 3);
        e.Basic(b + "Conv2d_3b_1x1", 64, 80, 1);
        e.Basic(b + "Conv2d_4a_3x3", 80, 192, 3);
        foreach (var (name, ci, pool) in new[] { ("Mixed_5b", 192L, 32L), ("Mixed_5c", 256L, 64L), ("Mixed_5d", 288L, 64L) })
        {
            string p = b + name + ".";
            e.Basic(p + "branch1x1", ci, 64, 1);
            e.Basic(p + "branch5x5_1", ci, 48, 1);
            e.Basic(p + "branch5x5_2", 48, 64, 5);
            e.Basic(p + "branch3x3dbl_1", ci, 64, 1);
            e.Basic(p + "branch3x3dbl_2", 64, 96, 3);
            e.Basic(p + "branch3x3dbl_3", 96, 96, 3);
            e.Basic(p + "branch_pool", ci, pool, 1);
        }
        e.Basic(b + "Mixed_6a.branch3x3", 288, 384, 3);
        e.Basic(b + "Mixed_6a.branch3x3dbl_1", 288, 64, 1);
        e.Basic(b + "Mixed_6a.branch3x3dbl_2", 64, 96, 3);
        e.Basic(b + "Mixed_6a.branch3x3dbl_3", 96, 96, 3);
        foreach (var (name, c7) in new[] { ("Mixed_6b", 128L), ("Mixed_6c", 160L), ("Mixed_6d", 160L), ("Mixed_6e", 192L) })
        {
            string p = b + name + ".";
            e.Basic(p + "branch1x1", 768, 192, 1);
            e.Basic(p + "branch7x7_1", 768, c7, 1);
            e.Basic(p + "branch7x7_2", c7, c7, 1, 7);
            e.Basic(p + "branch7x7_3", c7, 192, 7, 1);
            e.Basic(p + "branch7x7dbl_1", 768, c7, 1);
            e.Basic(p + "branch7x7dbl_2", c7, c7, 7, 1);
            e.Basic(p + "branch7x7dbl_3", c7, c7, 1, 7);
            e.Basic(p + "branch7x7dbl_4", c7, c7, 7, 1);
            e.Basic(p + "branch7x7dbl_5", c7, 192, 1, 7);
            e.Basic(p + "branch_pool", 768, 192, 1);
        }
        e.Conv(b + "channel_reduce.0", 768, 256, 1, 1, bias: true);
        e.Bn(b + "channel_reduce.1", 256);
        e.NeckAndHead(256, [false, false]);
        return e;
    }

    private static Expected ShuffleNetKeys(long[] channels)
    {
        var e = new Expected();
        const string m = "basemodel._model.";
        e.Conv(m + "conv1.0", 3, channels[0], 3, 3);
        e.Bn(m + "conv1.1", channels[0]);
        long input = channels[0];
        int[] repeats = [4, 8, 4];
        for (int s = 0; s < 3; s++)
        {
            long output = channels[s + 1], f = output / 2;
            for (int u = 0; u < repeats[s]; u++)
            {
                string p = $"{m}stage{s + 2}.{u}.";
                if (u == 0)
                {
                    // branch1: depthwise 3x3 (0), BN (1), 1x1 (2), BN (3), ReLU
                    e.Conv(p + "branch1.0", input, input, 3, 3, groups: input);
                    e.Bn(p + "branch1.1", input);
                    e.Conv(p + "branch1.2", input, f, 1, 1);
                    e.Bn(p + "branch1.3", f);
                }
                // branch2: 1x1 (0), BN (1), ReLU, depthwise 3x3 (3), BN (4), 1x1 (5), BN (6), ReLU
                e.Conv(p + "branch2.0", u == 0 ? input : f, f, 1, 1);
                e.Bn(p + "branch2.1", f);
                e.Conv(p + "branch2.3", f, f, 3, 3, groups: f);
                e.Bn(p + "branch2.4", f);
                e.Conv(p + "branch2.5", f, f, 1, 1);
                e.Bn(p + "branch2.6", f);
            }
            input = output;
        }
        e.Conv(m + "channel_reduce.0", channels[1] + channels[2] + channels[3], 256, 1, 1);
        e.Bn(m + "channel_reduce.1", 256);
        e.NeckAndHead(256, [false, false, true]);
        return e;
    }

    private static Expected AlexNetKeys()
    {
        var e = new Expected();
        long[] w = [96, 256, 384, 384, 256];
        long[] k = [11, 5, 3, 3, 3];
        for (int i = 0; i < 5; i++) e.ConvBnRelu($"basemodel.conv{i + 1}", i == 0 ? 3 : w[i - 1], w[i], k[i]);
        e.NeckAndHead(256, [false, false, true]);
        return e;
    }

    public static TheoryData<string> Models => new() { "googlenet", "shufflenetv2x1_0", "shufflenetv2x0_5", "alexnet" };

    private static (Expected Keys, long Parameters, long BackboneParameters) Reference(string model) => model switch
    {
        // Totals by hand: Inception3 up to Mixed_6e + channel_reduce 9,163,232; neck 4 x (256*256*9 + 256 + 512);
        // head 2 x 2 towers of conv3x3 with bias (no BN) + 1x1 outputs with BN + si, bi.
        "googlenet" => (GoogLeNetKeys(), 13_887_476, 9_163_232),
        "shufflenetv2x1_0" => (ShuffleNetKeys([24, 116, 232, 464]), 6_890_232, 984_804),
        "shufflenetv2x0_5" => (ShuffleNetKeys([24, 48, 96, 192]), 6_135_092, 229_664),
        "alexnet" => (AlexNetKeys(), 9_655_380, 3_749_952),
        _ => throw new ArgumentException(model),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void StateDictKeysAndShapesAreVideoAnalysts(string version)
    {
        var (expected, _, _) = Reference(version);
        using var model = new SiamFCppModel(SiamFCppTracker.ModelForVersion(version));
        var ours = model.state_dict();
        var missing = expected.Keys.Except(ours.Keys).Order().ToList();
        var unexpected = ours.Keys.Except(expected.Keys).Order().ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"{version}: missing [{string.Join(", ", missing.Take(20))}], unexpected [{string.Join(", ", unexpected.Take(20))}]");
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(ours[key].shape),
                $"{version} {key}: [{string.Join(", ", ours[key].shape)}], expected [{string.Join(", ", shape)}]");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ParameterCountsEqualTheHandCount(string version)
    {
        var (_, total, backbone) = Reference(version);
        using var model = new SiamFCppModel(SiamFCppTracker.ModelForVersion(version));
        Assert.Equal(total, model.parameters().Sum(p => p.numel()));
        Assert.Equal(backbone, model.Backbone.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void SpotChecksOfReferenceNames()
    {
        using var google = new SiamFCppModel(SiamFCppModelConfig.GoogLeNet);
        var g = google.state_dict();
        Assert.Equal([32L, 3, 3, 3], g["basemodel.Conv2d_1a_3x3.conv.weight"].shape);
        Assert.Equal([192L, 160, 1, 7], g["basemodel.Mixed_6d.branch7x7dbl_5.conv.weight"].shape);
        Assert.Equal(InceptionConv.BnEps, 1e-3);
        using var shuffle = new SiamFCppModel(SiamFCppModelConfig.ShuffleNetV2X1_0);
        var s = shuffle.state_dict();
        Assert.Equal([116L, 1, 3, 3], s["basemodel._model.stage3.0.branch1.0.weight"].shape);
        Assert.Equal([256L, 812, 1, 1], s["basemodel._model.channel_reduce.0.weight"].shape);
        Assert.False(s.ContainsKey("basemodel._model.stage2.1.branch1.0.weight")); // stride-1 units have no branch1
    }

    /// <summary>Score-map sides: 17 for AlexNet/ShuffleNetV2 at x 303 (num_conv3x3 3), 19 for GoogLeNet at 303 and 17 at
    /// its training x_size 289 (num_conv3x3 2); backbone maps 6/28 (AlexNet), 5/27 and 25 (Inception3, crop 4), 8/30
    /// (ShuffleNetV2, crop 4), worked out from the layer strides.</summary>
    [Theory]
    [InlineData("alexnet", 303, 6, 28, 17)]
    [InlineData("googlenet", 303, 5, 27, 19)]
    [InlineData("googlenet", 289, 5, 25, 17)]
    [InlineData("shufflenetv2x1_0", 303, 8, 30, 17)]
    [InlineData("shufflenetv2x0_5", 303, 8, 30, 17)]
    public void ForwardShapes(string version, int xSize, long zFeature, long xFeature, long scoreSide)
    {
        var config = SiamFCppTracker.ModelForVersion(version) with { XSize = xSize };
        Assert.Equal(scoreSide, config.ScoreSize);
        using var model = new SiamFCppModel(config);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = rand(1, 3, 127, 127) * 255;
        var x = rand(1, 3, xSize, xSize) * 255;
        Assert.Equal([1L, 256, zFeature, zFeature], model.Embed(z).shape);
        Assert.Equal([1L, 256, xFeature, xFeature], model.Embed(x).shape);
        var (c, r) = model.EncodeTemplate(z);
        using var output = model.Track(c, r, x);
        Assert.Equal([1L, scoreSide * scoreSide, 1], output.Score.shape);
        Assert.Equal([1L, scoreSide * scoreSide, 4], output.Bbox.shape);
        Assert.True(output.Score.isfinite().all().item<bool>());
    }

    [Fact]
    public void ChannelShuffleInterleavesTheTwoHalves()
    {
        // 6 channels, 2 groups: view [2, 3], transpose -> [3, 2]: channel order 0, 3, 1, 4, 2, 5.
        using var x = arange(6, dtype: ScalarType.Float32).view(1, 6, 1, 1);
        using var y = ShuffleInvertedResidual.ChannelShuffle(x, 2);
        Assert.Equal([0f, 3, 1, 4, 2, 5], y.data<float>().ToArray());
    }

    [Fact]
    public void UnknownBackboneAndWrongHeadWidthAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new SiamFCppModel(SiamFCppModelConfig.AlexNet with { BackboneName = "VGG" }));
        Assert.Contains("VGG", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SiamFCppModel(SiamFCppModelConfig.GoogLeNet with { HeadWidth = 128 }));
        Assert.Contains("256 channels", e.Message);
    }
}

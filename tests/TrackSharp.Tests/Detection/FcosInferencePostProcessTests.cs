using TrackSharp.Checkpoints;
using TrackSharp.Detection.Fcos;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Detection;

/// <summary>
/// <see cref="FcosPostProcessor"/> on the real model's eval head outputs of golden/fcos_small/inference.npz
/// (<c>eval_box_cls</c>, <c>eval_box_regression</c>, <c>eval_centerness</c>; image 256x341 padded to 256x352)
/// against its <c>final/{boxes,scores,labels}</c>, bit-exact, as sets.
/// </summary>
public class FcosInferencePostProcessTests
{
    [Fact]
    public void Final_detections_match_inference_npz()
    {
        using var npz = Npz.Load(FcosGolden.File("inference.npz"));
        using var scope = NewDisposeScope();
        var loc = new List<Tensor>(); var cls = new List<Tensor>(); var reg = new List<Tensor>(); var ctr = new List<Tensor>();
        int[] strides = { 8, 16, 32, 64, 128 };
        for (int l = 3; l <= 7; l++)
        {
            var c = npz.Tensor($"eval_box_cls/P{l}");
            cls.Add(c);
            reg.Add(npz.Tensor($"eval_box_regression/P{l}"));
            ctr.Add(npz.Tensor($"eval_centerness/P{l}"));
            loc.Add(FcosLocations.ForLevelTensor((int)c.shape[2], (int)c.shape[3], strides[l - 3]));
        }
        var result = new FcosPostProcessor().Process(loc, cls, reg, ctr, new[] { (256, 341) });
        FcosGolden.AssertSameAsSets(FcosGolden.Read(npz, "final"), result[0].Final, "inference.npz final");
    }
}

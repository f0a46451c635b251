using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// Tracker building blocks against the golden data: Gaussian labels (init.npz transformer_label, train_step.npz
/// train/test labels), localize_advanced on every unit_cases.npz score map, the 70-step sample-weight sequence, and the
/// IoUNet box refinement of track frame 1 (jittered initial boxes from the stored uniforms, every ascent iteration, the
/// top-3 mean and the new position/size).
/// </summary>
public sealed class TrDiMPTrackerPartsTests(TrDiMPModelFixture fx, ITestOutputHelper output) : IClassFixture<TrDiMPModelFixture>
{
    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Array ? v[0].GetSingle() : v.GetSingle()).ToArray();

    private void Check(Npz golden, string key, Tensor actual, double tol) => TrDiMPGolden.Check(golden, key, actual, tol, output);

    [Fact]
    public void GaussianLabelsOfTheTransformerAndTheTrainingLoss()
    {
        using var scope = NewDisposeScope();
        Check(fx.Init, "transformer_label", GaussianLabel.Compute(fx.Init.Tensor("init_target_boxes"), 0.1, 4, 22, 352, false), 1e-5);
        using var g = Npz.Load(TrDiMPGolden.File("train_step.npz"));
        Check(g, "train_label", GaussianLabel.Compute(g.Tensor("train_anno"), 0.1, 4, 22, 352, false), 1e-5);
        Check(g, "test_label", GaussianLabel.Compute(g.Tensor("test_anno"), 1.0 / 24, 4, 22, 352, true), 1e-5);
    }

    [Fact]
    public void LocalizeAdvancedOnEveryUnitCase()
    {
        using var g = Npz.Load(TrDiMPGolden.File("unit_cases.npz"));
        var root = TrDiMPGolden.Json("unit_cases.json").GetProperty("localize_advanced");
        var st = root.GetProperty("state");
        var pos = Floats(st.GetProperty("pos"));
        var sz = Floats(st.GetProperty("target_sz"));
        var spos = Floats(st.GetProperty("sample_pos")[0]);
        float scale = st.GetProperty("sample_scales")[0].GetSingle();
        int n = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var scores = g[$"localize__{name}_scores"].ToFloatArray();
            var r = AdvancedLocalization.Localize(scores, 23, 23, (pos[0], pos[1]), (sz[0], sz[1]), (spos[0], spos[1]), scale,
                (352f, 352f), (4, 4), new AdvancedLocalization.Settings());
            string expectedFlag = c.GetProperty("flag").GetString()!;
            Assert.True(expectedFlag == FlagName(r.Flag), $"unit_cases.json:localize_advanced:{name}: flag {FlagName(r.Flag)} != {expectedFlag}");
            var t = Floats(c.GetProperty("translation_vec"));
            Assert.True(Math.Abs(t[0] - r.TranslationY) <= 1e-3 && Math.Abs(t[1] - r.TranslationX) <= 1e-3,
                $"unit_cases.json:localize_advanced:{name}: translation ({r.TranslationY}, {r.TranslationX}) != ({t[0]}, {t[1]})");
            Assert.Equal(c.GetProperty("scale_ind").GetInt32(), r.ScaleIndex);
            n++;
        }
        Assert.Equal(9, n);
    }

    [Fact]
    public void SampleWeightSequenceOf70Updates()
    {
        using var g = Npz.Load(TrDiMPGolden.File("unit_cases.npz"));
        var seq = g["memory__sample_weights_seq"].ToFloatArray();
        var u = TrDiMPGolden.Json("unit_cases.json").GetProperty("update_sample_weights");
        var replace = u.GetProperty("replace_ind").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var lrs = u.GetProperty("learning_rate").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        int numInit = u.GetProperty("num_init").GetInt32();
        var w = new float[u.GetProperty("memory_size").GetInt32()];
        for (int i = 0; i < numInit; i++) w[i] = 1f / numInit;
        int? prev = null;
        int stored = numInit;
        double worst = 0;
        for (int step = 0; step < replace.Length; step++)
        {
            int slot = SampleWeights.Update(w, prev, stored, numInit, lrs[step], 0.25);
            Assert.True(replace[step] == slot, $"unit_cases.json:update_sample_weights step {step}: slot {slot} != {replace[step]}");
            prev = slot;
            stored++;
            for (int k = 0; k < w.Length; k++) worst = Math.Max(worst, Math.Abs(w[k] - seq[step * w.Length + k]));
        }
        output.WriteLine($"memory__sample_weights_seq max abs error {worst:E2}");
        Assert.True(worst <= 1e-6, $"unit_cases.npz:memory__sample_weights_seq: error {worst:E3}");
    }

    [Fact]
    public void IouRefinementOfFrame1()
    {
        using var scope = NewDisposeScope();
        var frame = TrDiMPGolden.Json("track.json").GetProperty("frames")[0];
        Assert.Equal(1, frame.GetProperty("frame").GetInt32());
        var iounet = frame.GetProperty("iounet");
        var settings = new IouBoxRefinement.Settings();
        var initBox = tensor(Floats(iounet.GetProperty("init_box")));
        var init = IouBoxRefinement.InitialBoxes(initBox, fx.Track.Tensor("f01_iou_rand"), settings);
        Check(fx.Track, "f01_iou_init_boxes", init, 1e-4);

        var trace = IouBoxRefinement.Optimize(fx.Net.BoxRegressor, fx.Init.Tensor("iou_modulation_0").unsqueeze(0),
            fx.Init.Tensor("iou_modulation_1").unsqueeze(0), fx.Track.Tensor("f01_iou_feat_c3t"), fx.Track.Tensor("f01_iou_feat_c4t"),
            fx.Track.Tensor("f01_iou_init_boxes"), settings);
        Check(fx.Track, "f01_iou_iter_boxes", stack(trace.IterBoxes.ToArray()), 1e-4);
        Check(fx.Track, "f01_iou_iter_pred", stack(trace.IterPred.ToArray()), 1e-4);
        Check(fx.Track, "f01_iou_out_boxes", trace.OutBoxes, 1e-4);
        Check(fx.Track, "f01_iou_out_pred", trace.OutPred, 1e-4);

        var box = IouBoxRefinement.Select(fx.Track.Tensor("f01_iou_out_boxes"), fx.Track.Tensor("f01_iou_out_pred"), settings)!.data<float>().ToArray();
        var samplePos = Floats(frame.GetProperty("sample_pos")[0]);
        float sampleScale = frame.GetProperty("sample_scales")[0].GetSingle();
        // Back to image coordinates: centre (y, x) = (c − (352 − 1)/2)·scale + sample_pos, size·scale.
        float posY = (box[1] + box[3] / 2 - 351f / 2) * sampleScale + samplePos[0];
        float posX = (box[0] + box[2] / 2 - 351f / 2) * sampleScale + samplePos[1];
        var posOut = Floats(iounet.GetProperty("pos_out"));
        var szOut = Floats(iounet.GetProperty("target_sz_out"));
        output.WriteLine($"pos ({posY}, {posX}) vs ({posOut[0]}, {posOut[1]}); size ({box[3] * sampleScale}, {box[2] * sampleScale}) vs ({szOut[0]}, {szOut[1]})");
        Assert.True(Math.Abs(posY - posOut[0]) <= 0.01 && Math.Abs(posX - posOut[1]) <= 0.01, "track.json frame 1 iounet.pos_out");
        Assert.True(Math.Abs(box[3] * sampleScale - szOut[0]) <= 0.01 && Math.Abs(box[2] * sampleScale - szOut[1]) <= 0.01, "track.json frame 1 iounet.target_sz_out");
    }

    private static string FlagName(LocalizationFlag f) => f switch
    {
        LocalizationFlag.Normal => "normal",
        LocalizationFlag.NotFound => "not_found",
        LocalizationFlag.Uncertain => "uncertain",
        _ => "hard_negative",
    };
}

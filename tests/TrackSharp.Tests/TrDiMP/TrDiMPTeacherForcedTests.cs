using System.Text.Json;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// The per-frame path of the tracker (<see cref="TrDiMPFrameTracker"/>) on track frames 1..11 of track.npz, each from a
/// state rebuilt only from the stored data (the README's teacher-forcing procedure): crop, backbone, decoder, scores,
/// flag, IoUNet refinement iterations, output box (0.01 px), sample weights, the updated filter and the transformer
/// memory update.
/// </summary>
public sealed class TrDiMPTeacherForcedTests(TrDiMPModelFixture fx, ITestOutputHelper output) : IClassFixture<TrDiMPModelFixture>
{
    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static readonly JsonElement Track = TrDiMPGolden.Json("track.json");
    private static readonly JsonElement InitJson = TrDiMPGolden.Json("init.json");

    public static TheoryData<int> Frames => new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

    private TrDiMPTrackerState StateBefore(int k)
    {
        var frames = Track.GetProperty("frames");
        var init = fx.Init;
        var samples = zeros(50, 32, 22, 22);
        samples[..15] = init.Tensor("decoder_out_feat");
        var boxes = init.Tensor("target_boxes_memory").clone();
        var weights = init["sample_weights"].ToFloatArray();
        var xClf = init.Tensor("clf_feat_x");
        var labels = init.Tensor("transformer_label");
        for (int j = 1; j < k; j++)
        {
            var f = frames[j - 1];
            string kk = $"f{j:00}_";
            if (f.TryGetProperty("update", out var u))
            {
                int slot = u.GetProperty("replace_ind")[0].GetInt32();
                samples[slot] = fx.Track.Tensor(kk + "test_x")[0];
                boxes[slot] = tensor(Floats(u.GetProperty("target_box")));
                weights = fx.Track[kk + "sample_weights_after"].ToFloatArray();
            }
            if (f.TryGetProperty("transformer_memory_update", out _))
            {
                xClf = cat([fx.Track.Tensor(kk + "x_clf"), xClf.shape[0] < 20 ? xClf : xClf[..^1]], 0);
                labels = fx.Track.Tensor(kk + "transformer_label_stack");
            }
        }
        var (memory, _) = fx.Net.Classifier.Transformer.Encoder.call(xClf.unsqueeze(1));
        var si = frames[k - 1].GetProperty("state_in");
        var pos = Floats(si.GetProperty("pos"));
        var sz = Floats(si.GetProperty("target_sz"));
        var bts = Floats(InitJson.GetProperty("base_target_sz"));
        var ims = Floats(InitJson.GetProperty("image_sz_hw"));
        var prev = si.GetProperty("previous_replace_ind")[0];
        var pi = si.GetProperty("pos_iounet");
        return new TrDiMPTrackerState
        {
            FrameNum = si.GetProperty("frame_num").GetInt32(),
            Pos = (pos[0], pos[1]),
            TargetSz = (sz[0], sz[1]),
            TargetScale = si.GetProperty("target_scale").GetSingle(),
            BaseTargetSz = (bts[0], bts[1]),
            ImageSz = (ims[0], ims[1]),
            PosIouNet = pi.ValueKind == JsonValueKind.Null ? null : (pi[0].GetSingle(), pi[1].GetSingle()),
            SampleWeights = weights,
            NumInitSamples = 15,
            NumStoredSamples = si.GetProperty("num_stored_samples").GetInt32(),
            PreviousReplaceIndex = prev.ValueKind == JsonValueKind.Null ? null : prev.GetInt32(),
            TrainingSamples = samples,
            TargetBoxes = boxes,
            TargetFilter = fx.Track.Tensor($"f{k:00}_filter_in"),
            XClf = xClf,
            TransformerLabel = labels,
            TransformerMemory = memory,
            IouModulation3 = fx.Init.Tensor("iou_modulation_0").view(1, -1),
            IouModulation4 = fx.Init.Tensor("iou_modulation_1").view(1, -1),
        };
    }

    private void Check(string key, Tensor actual, double tol) => TrDiMPGolden.Check(fx.Track, key, actual, tol, output);

    [Theory]
    [MemberData(nameof(Frames))]
    public void FrameFromStoredState(int k)
    {
        using var scope = NewDisposeScope();
        using var state = StateBefore(k);
        var frame = Track.GetProperty("frames")[k - 1];
        string kk = $"f{k:00}_";
        var tracker = new TrDiMPFrameTracker(fx.Net, TrDiMPTrackerParams.TrDiMP, (_, _) => fx.Track.Tensor(kk + "iou_rand"));
        var image = TrDiMPGolden.Frame(k);
        using var r = tracker.Track(state, image);

        Check(kk + "scores_raw", r.ScoresRaw, 1e-4);
        string flag = frame.GetProperty("flag").GetString()!;
        output.WriteLine($"frame {k}: flag {r.Localization.Flag} (golden {flag})");
        Assert.Equal(flag.Replace("_", ""), r.Localization.Flag.ToString().ToLowerInvariant());
        if (r.Refinement is { } t)
        {
            Check(kk + "iou_init_boxes", t.InitBoxes, 1e-3);
            Check(kk + "iou_out_boxes", t.OutBoxes, 1e-2);
        }
        var box = Floats(frame.GetProperty("output_bbox_xywh"));
        double boxErr = new[] { r.X - box[0], r.Y - box[1], r.W - box[2], r.H - box[3] }.Max(Math.Abs);
        output.WriteLine($"output box ({r.X}, {r.Y}, {r.W}, {r.H}) vs ({string.Join(", ", box)}): {boxErr:E2} px");
        Assert.True(boxErr <= 0.01, $"track.json frame {k} output_bbox_xywh: error {boxErr} px");
        if (frame.TryGetProperty("update", out var u))
        {
            Assert.Equal(u.GetProperty("replace_ind")[0].GetInt32(), r.ReplaceIndex);
            Check(kk + "sample_weights_after", tensor(state.SampleWeights), 1e-6);
            Check(kk + "filter_after", state.TargetFilter, 1e-4);
        }
        if (frame.TryGetProperty("transformer_memory_update", out _))
        {
            Check(kk + "transformer_label_stack", state.TransformerLabel, 1e-5);
            Check(kk + "encoder_memory_first", state.TransformerMemory[..484], 1e-4);
        }
    }
}

using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.TrDiMP;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// The TrSiam network of trsiam_track.npz: weights.pth with the filter initializer's conv replaced by the
/// <c>override__…</c> arrays (the README's recipe, so that the never-optimised filter finds something), plus the
/// init / track / trsiam_track golden files. track.npz's <c>fKK_iou_rand</c> are the IoUNet jitter draws of the TrSiam
/// run too (same seed 10 and the same sequence of torch.rand calls; the test confirms it through
/// <c>fKK_iou_init_boxes</c>).
/// </summary>
public sealed class TrSiamFixture : TrDiMPModelFixture
{
    public TrSiamFixture()
    {
        TrSiam = Npz.Load(TrDiMPGolden.File("trsiam_track.npz"));
        using var noGrad = no_grad();
        var state = Net.state_dict();
        using (var w = TrSiam.Tensor("override__classifier__filter_initializer__filter_conv__weight"))
            state["classifier.filter_initializer.filter_conv.weight"].copy_(w);
        using (var b = TrSiam.Tensor("override__classifier__filter_initializer__filter_conv__bias"))
            state["classifier.filter_initializer.filter_conv.bias"].copy_(b);
        Net.eval();
    }

    public Npz TrSiam { get; }

    public override void Dispose()
    {
        TrSiam.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// TrSiam (<c>parameter/trdimp/trsiam.py</c>: no filter optimisation) free-running over frames 1..11 of
/// golden/trdimp_small against trsiam_track.npz / .json: initialised on frame 0 with the stored shift uniforms and
/// dropout channels, then every frame with only the IoUNet jitter uniforms replayed. Checked per frame: sample
/// position and scale, raw scores (1e-4), flag (exact), IoUNet initial (1e-3) and refined boxes (1e-2) with their
/// IoUs (1e-4), output box (0.01 px), memory slot, sample weights (1e-6), the filter (never changed, 1e-4), stored
/// sample and transformer-memory counts, and the state after the frame.
/// </summary>
public sealed class TrSiamTrackTests(TrSiamFixture fx, ITestOutputHelper output) : IClassFixture<TrSiamFixture>
{
    private static readonly JsonElement TrSiamJson = TrDiMPGolden.Json("trsiam_track.json");

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private (TrDiMPTrackerState, TrDiMPInitDiagnostics) Initialize() => TrDiMPGolden.Initialize(fx.Net, fx.Init, TrDiMPTrackerParams.TrSiam);

    private double Check(Npz g, string key, Tensor actual, double tol) => TrDiMPGolden.Check(g, key, actual, tol, output);

    private static void Near(string what, double expected, double actual, double tol) =>
        Assert.True(Math.Abs(expected - actual) <= tol, $"trsiam_track.json {what}: {actual} vs golden {expected} (tolerance {tol})");

    [Fact]
    public void InitialisationGivesTheUnoptimisedFilter()
    {
        using var scope = NewDisposeScope();
        var (state, diag) = Initialize();
        using var s = state;
        using var d = diag;
        // README: the init transformer output equals init.decoder_out_feat; the filter is the initializer's output.
        Check(fx.Init, "decoder_out_feat", d.DecodedFeat, 1e-4);
        Check(fx.TrSiam, "filter_init", d.FilterInit, 1e-4);
        Check(fx.TrSiam, "init_filter_initializer_out", s.TargetFilter, 1e-4);
        Assert.Equal(15, s.NumStoredSamples);
    }

    [Fact]
    public void FreeRunningTrackOverFrames1To11()
    {
        using var scope = NewDisposeScope();
        var (state, diag) = Initialize();
        using var s = state;
        diag.Dispose();
        var frames = TrSiamJson.GetProperty("frames");
        Assert.Equal(11, frames.GetArrayLength());
        string? rand = null;
        var tracker = new TrDiMPFrameTracker(fx.Net, TrDiMPTrackerParams.TrSiam, (_, _) => fx.Track.Tensor(rand!));
        double worstBox = 0, worstScores = 0, worstFilter = 0;
        for (int k = 1; k <= 11; k++)
        {
            var f = frames[k - 1];
            Assert.Equal(k, f.GetProperty("frame").GetInt32());
            string kk = $"f{k:00}_";
            rand = kk + "iou_rand";
            using var frameScope = NewDisposeScope();
            using var r = tracker.Track(s, TrDiMPGolden.Frame(k));

            var samplePos = Floats(f.GetProperty("sample_pos")[0]);
            Near($"frame {k} sample_pos y", samplePos[0], r.SamplePos.Y, 1e-2);
            Near($"frame {k} sample_pos x", samplePos[1], r.SamplePos.X, 1e-2);
            Near($"frame {k} sample_scales", f.GetProperty("sample_scales")[0].GetDouble(), r.SampleScale, 1e-5 * r.SampleScale);
            worstScores = Math.Max(worstScores, Check(fx.TrSiam, kk + "scores_raw", r.ScoresRaw, 1e-4));
            Near($"frame {k} max_score", f.GetProperty("max_score").GetDouble(), r.Localization.MaxScore, 1e-4);
            string flag = f.GetProperty("flag").GetString()!;
            output.WriteLine($"frame {k}: flag {r.Localization.Flag} (golden {flag})");
            Assert.Equal(flag.Replace("_", ""), r.Localization.Flag.ToString().ToLowerInvariant());

            // Every golden frame is found, so each refines the box (and draws the jitter uniforms).
            var t = Assert.IsType<IouBoxRefinement.Trace>(r.Refinement);
            Check(fx.TrSiam, kk + "iou_init_boxes", t.InitBoxes, 1e-3);
            Check(fx.TrSiam, kk + "iou_out_boxes", t.OutBoxes, 1e-2);
            Check(fx.TrSiam, kk + "iou_out_pred", t.OutPred, 1e-4);

            var box = Floats(f.GetProperty("output_bbox_xywh"));
            double boxErr = new[] { r.X - box[0], r.Y - box[1], r.W - box[2], r.H - box[3] }.Max(Math.Abs);
            output.WriteLine($"frame {k}: box ({r.X}, {r.Y}, {r.W}, {r.H}) vs ({string.Join(", ", box)}): {boxErr:E2} px");
            Assert.True(boxErr <= 0.01, $"trsiam_track.json frame {k} output_bbox_xywh: error {boxErr} px");
            worstBox = Math.Max(worstBox, boxErr);

            if (f.TryGetProperty("update", out var u))
            {
                Assert.Equal(u.GetProperty("replace_ind")[0].GetInt32(), r.ReplaceIndex);
                Assert.Equal(0, u.GetProperty("num_optimizer_calls").GetInt32());
                Check(fx.TrSiam, kk + "sample_weights_after", tensor(s.SampleWeights), 1e-6);
                worstFilter = Math.Max(worstFilter, Check(fx.TrSiam, kk + "filter_after", s.TargetFilter, 1e-4));
            }
            else Assert.Null(r.ReplaceIndex);
            // filter_unchanged: the filter stays the initializer's output (frames without update store no filter_after).
            Assert.True(f.GetProperty("filter_unchanged").GetBoolean());
            worstFilter = Math.Max(worstFilter, Check(fx.TrSiam, "filter_init", s.TargetFilter, 1e-4));

            var so = f.GetProperty("state_out");
            Assert.Equal(so.GetProperty("frame_num").GetInt32(), s.FrameNum);
            Assert.Equal(so.GetProperty("num_stored_samples").GetInt32(), s.NumStoredSamples);
            Assert.Equal(so.GetProperty("transformer_memory_samples").GetInt32(), (int)s.XClf.shape[0]);
            var pos = Floats(so.GetProperty("pos"));
            var sz = Floats(so.GetProperty("target_sz"));
            Near($"frame {k} state_out.pos y", pos[0], s.Pos.Y, 1e-2);
            Near($"frame {k} state_out.pos x", pos[1], s.Pos.X, 1e-2);
            Near($"frame {k} state_out.target_sz h", sz[0], s.TargetSz.H, 1e-2);
            Near($"frame {k} state_out.target_sz w", sz[1], s.TargetSz.W, 1e-2);
            Near($"frame {k} state_out.target_scale", so.GetProperty("target_scale").GetDouble(), s.TargetScale, 1e-5 * s.TargetScale);
        }
        output.WriteLine($"worst: box {worstBox:E2} px, scores {worstScores:E2}, filter {worstFilter:E2}");
    }
}

using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.OSTrack;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack;

/// <summary>
/// Candidate elimination fed the reference's own inputs (golden/ostrack_small forward_b1/b2.npz): the stored attention
/// row of the CTR_POINT template token, the incoming global indices and (b1) the block tokens must give exactly the
/// reference's kept and removed indices (torch.sort order) and tokens; kept counts follow keep_rate.json.
/// </summary>
public class OSTrackCandidateEliminationTests
{
    [Theory]
    [InlineData("forward_b1", "eval_default", 1)]
    [InlineData("forward_b1", "eval_default", 2)]
    [InlineData("forward_b1", "eval_keep085", 1)]
    [InlineData("forward_b1", "eval_keep085", 2)]
    [InlineData("forward_b2", "eval_default", 1)]
    [InlineData("forward_b2", "eval_default", 2)]
    [InlineData("forward_b2", "eval_keep085", 1)]
    [InlineData("forward_b2", "eval_keep085", 2)]
    [InlineData("forward_b2", "train_keep085", 2)]
    public void GoldenAttentionGivesTheReferenceIndicesExactly(string batch, string variant, int block)
    {
        using var g = Npz.Load(OSTrackGolden.File(batch + ".npz"));
        using var scope = NewDisposeScope();
        var config = OSTrackGolden.ModelConfig();
        int lz = config.TemplateTokens;
        var row = g.Tensor($"{variant}/attn_ctr_to_search_block{block}"); // [B, H, 1, L]
        var mask = g.Tensor("in/ce_template_mask");
        long b = row.shape[0], heads = row.shape[1], l = row.shape[3];
        long ctr = mask[0].nonzero()[0, 0].item<long>();
        // Full attention with only the CTR_POINT row filled: the only template row the mask selects.
        var attention = zeros(b, heads, lz + l, lz + l);
        attention[.., .., (int)ctr..(int)(ctr + 1), lz..] = row;
        var incoming = block == 1
            ? arange(l, ScalarType.Float32).unsqueeze(0).repeat(b, 1)
            : g.Tensor($"{variant}/kept_index_s_block{block - 1}");
        // Token i of the search part carries its global index, so the gathered tokens reveal the order.
        var tokens = cat([zeros(b, lz, 2), incoming.unsqueeze(-1).expand(b, l, 2)], 1);
        double ratio = variant.Contains("keep085") ? 0.85 : config.KeepRatioOfBlock(block);

        var result = CandidateElimination.Apply(attention, tokens, lz, ratio, incoming, mask);

        var expectedKept = g[$"{variant}/kept_index_s_block{block}"].ToFloatArray();
        var expectedRemoved = g[$"{variant}/removed_indexes_s_{block - 1}"].ToFloatArray();
        Assert.Equal(expectedKept, result.KeptIndex.data<float>().ToArray());
        Assert.Equal(expectedRemoved, result.RemovedIndex!.data<float>().ToArray());
        Assert.Equal(expectedKept, result.Tokens[.., lz.., 0].contiguous().data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, result.KeptIndex.dtype);
    }

    [Fact]
    public void KeptCountIsTheFloat64CeilingOfKeepRateJson()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(OSTrackGolden.File("keep_rate.json")));
        foreach (var probe in json.RootElement.GetProperty("ceil_probes").EnumerateArray())
        {
            double ratio = probe.GetProperty("keep_ratio").GetDouble();
            int lens = probe.GetProperty("lens_s").GetInt32();
            Assert.True(probe.GetProperty("kept_by_candidate_elimination").GetInt32() == CandidateElimination.KeptCount(ratio, lens),
                $"keep_rate.json ceil_probes: keep {ratio} of {lens}");
        }
    }

    [Fact]
    public void RatioThatKeepsEveryTokenRemovesNothing()
    {
        // keep_rate.json, official schedule epoch 21: 0.9998843554361084 x 256 -> ceil = 256 -> no elimination.
        using var scope = NewDisposeScope();
        var attention = rand(1, 2, 64 + 256, 64 + 256);
        var tokens = rand(1, 64 + 256, 8);
        var index = arange(256, ScalarType.Float32).unsqueeze(0);
        var result = CandidateElimination.Apply(attention, tokens, 64, 0.9998843554361084, index, null);
        Assert.Null(result.RemovedIndex);
        Assert.Equal(tokens.data<float>().ToArray(), result.Tokens.data<float>().ToArray());
    }

    [Theory]
    [InlineData("small")]
    [InlineData("official_vitb_256_mae_ce_32x4_ep300")]
    public void KeepRateScheduleMatchesKeepRateJson(string schedule)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(OSTrackGolden.File("keep_rate.json")));
        var s = json.RootElement.GetProperty(schedule);
        int start = s.GetProperty("CE_START_EPOCH").GetInt32(), warm = s.GetProperty("CE_WARM_EPOCH").GetInt32();
        var ratios = s.GetProperty("CE_KEEP_RATIO").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        foreach (var e in s.GetProperty("per_epoch").EnumerateArray())
        {
            int epoch = e.GetProperty("epoch").GetInt32();
            double expected = e.GetProperty("keep_rate").GetDouble();
            double rate = KeepRateSchedule.ForEpoch(epoch, start, warm, ratios[0]);
            Assert.True(Math.Abs(rate - expected) <= 1e-15, $"keep_rate.json {schedule} epoch {epoch}: {rate:R} vs {expected:R}");
            // Kept tokens after each CE block: the rate overrides every block; a block keeping all tokens removes none.
            int lens = 256;
            var kept = new List<int>();
            foreach (var _ in ratios)
            {
                if (rate < 1) lens = CandidateElimination.KeptCount(rate, lens);
                kept.Add(lens);
            }
            var expectedKept = e.GetProperty("kept_search_tokens_after_each_ce_block").EnumerateArray().Select(k => k.GetInt32());
            Assert.True(expectedKept.SequenceEqual(kept), $"keep_rate.json {schedule} epoch {epoch}: kept [{string.Join(", ", kept)}]");
        }
    }

    [Theory]
    [InlineData("ce_mask_ctr_point_t128", CeTemplateRange.CtrPoint, 8)]
    [InlineData("ce_mask_ctr_rec_t128", CeTemplateRange.CtrRec, 8)]
    [InlineData("ce_mask_ctr_point_t192", CeTemplateRange.CtrPoint, 12)]
    public void TemplateMaskMatchesProcessingNpz(string key, CeTemplateRange range, int featSize)
    {
        using var g = Npz.Load(OSTrackGolden.File("processing.npz"));
        var expected = g[key];
        using var mask = CeTemplateMask.Create(range, (int)expected.Shape[0], featSize)!;
        Assert.Equal(expected.Shape, mask.shape);
        Assert.Equal(expected.ToBoolArray(), mask.data<bool>().ToArray());
    }

    [Fact]
    public void AllRangeHasNoMask() => Assert.Null(CeTemplateMask.Create(CeTemplateRange.All, 2, 8));
}

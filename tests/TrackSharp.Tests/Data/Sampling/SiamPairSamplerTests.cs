using TrackSharp.Data.Sampling;
using Xunit;
using static TrackSharp.Tests.Data.Sampling.SamplingFakes;

namespace TrackSharp.Tests.Data.Sampling;

/// <summary>
/// The pysot/siamban pair sampler: NUM_USE pick lists (lengths, repetition as whole shuffled copies), the epoch stream
/// of reshuffled rounds cut to VIDEOS_PER_EPOCH, FRAME_RANGE bounds, negative and grey rates (bounds: 5 standard
/// deviations of the binomial count, worked out in each test), and determinism whatever the order or the threads.
/// </summary>
public sealed class SiamPairSamplerTests
{
    /// <summary>Dataset a: 7 videos, NUM_USE -1. Dataset b: 5 videos + one without a visible frame, NUM_USE 12.
    /// Dataset c: 10 videos, NUM_USE 3.</summary>
    private static SiamPairSampler ThreeDatasets(int seed = 1, int videosPerEpoch = 10, double neg = 0.2)
    {
        var b = Enumerable.Range(0, 6).Select(i => (IReadOnlyList<bool>)Enumerable.Repeat(i != 2, 30).ToArray());
        return new SiamPairSampler(
            [new SiamSubset(AllVisible("a", 7, 30), 5, -1), new SiamSubset(new InMemorySampleSource("b", b), 5, 12),
             new SiamSubset(AllVisible("c", 10, 30), 5, 3)],
            new SiamPairSamplerOptions { VideosPerEpoch = videosPerEpoch, Negative = neg, Seed = seed });
    }

    [Fact]
    public void PickListsFollowNumUse()
    {
        var sampler = ThreeDatasets();
        Assert.Equal(7 + 5 + 10, sampler.VideoCount);   // b's video 2 (no visible frame) is dropped, as _filter_zero does

        // NUM_USE -1: every video of a once (global indices 0..6), shuffled.
        var a = sampler.Picks(0);
        Assert.Equal(Enumerable.Range(0, 7), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 7), a);

        // NUM_USE 12 on 5 videos (global 7..11): two whole shuffled copies, then 2 distinct videos.
        var b = sampler.Picks(1);
        Assert.Equal(12, b.Count);
        Assert.Equal(Enumerable.Range(7, 5), b.Take(5).Order());
        Assert.Equal(Enumerable.Range(7, 5), b.Skip(5).Take(5).Order());
        Assert.Equal(2, b.Skip(10).Distinct().Count());
        Assert.All(b, v => Assert.InRange(v, 7, 11));
        Assert.Equal([(1, 0), (1, 1), (1, 3), (1, 4), (1, 5)], Enumerable.Range(7, 5).Select(sampler.Video));

        // NUM_USE 3 on 10 videos (global 12..21): 3 distinct ones.
        var c = sampler.Picks(2);
        Assert.Equal(3, c.Count);
        Assert.Equal(3, c.Distinct().Count());
        Assert.All(c, v => Assert.InRange(v, 12, 21));
    }

    [Fact]
    public void EpochsCutAStreamOfReshuffledRounds()
    {
        var sampler = ThreeDatasets(videosPerEpoch: 10);
        Assert.Equal(10, sampler.EpochLength);
        var all = Enumerable.Range(0, 3).SelectMany(d => sampler.Picks(d)).Order().ToArray(); // 22 entries
        Assert.Equal(22, all.Length);
        // Epochs 0, 1 and the first 2 of epoch 2 are round 0: a shuffle of the concatenated pick lists.
        var stream = Enumerable.Range(0, 5).SelectMany(sampler.EpochPicks).ToArray();
        Assert.Equal(all, stream.Take(22).Order());
        Assert.Equal(all, stream.Skip(22).Take(22).Order());
        Assert.NotEqual(stream.Take(22), stream.Skip(22).Take(22));

        // VIDEOS_PER_EPOCH 0: one round per epoch.
        Assert.Equal(22, ThreeDatasets(videosPerEpoch: 0).EpochLength);
    }

    [Fact]
    public void SearchFrameLiesWithinFrameRangeOfTheTemplate()
    {
        var full = AllVisible("full", 3, 100);
        var sparse = Random("sparse", 3, 100, 0.4, seed: 6);
        var sampler = new SiamPairSampler([new SiamSubset(full, 7), new SiamSubset(sparse, 4)],
            new SiamPairSamplerOptions { VideosPerEpoch = 6000, Negative = 0, Seed = 2 });
        int maxFull = 0, maxSparse = 0;
        foreach (int i in Enumerable.Range(0, sampler.EpochLength))
        {
            var p = sampler.Sample(0, i);
            Assert.False(p.Negative);
            Assert.Equal((p.Template.Dataset, p.Template.Sequence), (p.Search.Dataset, p.Search.Sequence));
            if (p.Template.Dataset == 0)
            {
                int d = Math.Abs(p.Search.Frame - p.Template.Frame);
                Assert.InRange(d, 0, 7);
                maxFull = Math.Max(maxFull, d);
            }
            else
            {
                // FRAME_RANGE counts positions in the video's list of visible frames (pysot's list of annotated frames).
                var v = sparse.Visibility(p.Template.Sequence);
                Assert.True(v.IsVisible(p.Template.Frame) && v.IsVisible(p.Search.Frame));
                var frames = v.VisibleFrames.ToList();
                int d = Math.Abs(frames.IndexOf(p.Search.Frame) - frames.IndexOf(p.Template.Frame));
                Assert.InRange(d, 0, 4);
                maxSparse = Math.Max(maxSparse, d);
            }
        }
        Assert.Equal(7, maxFull);
        Assert.Equal(4, maxSparse);
    }

    [Fact]
    public void NegativeAndGrayRatesMatchTheirProbabilities()
    {
        var sampler = new SiamPairSampler([new SiamSubset(AllVisible("a", 20, 30), 10), new SiamSubset(AllVisible("b", 5, 30), 10)],
            new SiamPairSamplerOptions { VideosPerEpoch = 20000, Negative = 0.3, Gray = 0.1, Seed = 4 });
        int negatives = 0, grays = 0, crossDataset = 0;
        for (int i = 0; i < sampler.EpochLength; i++)
        {
            var p = sampler.Sample(1, i);
            if (p.Gray) grays++;
            if (!p.Negative)
            {
                Assert.Equal((p.Template.Dataset, p.Template.Sequence), (p.Search.Dataset, p.Search.Sequence));
                continue;
            }
            negatives++;
            if (p.Search.Dataset != p.Template.Dataset) crossDataset++;
        }
        // NEG 0.3 of 20000: mean 6000, sd sqrt(20000*0.3*0.7) = 64.8 -> ±324.
        Assert.InRange(negatives, 6000 - 324, 6000 + 324);
        // GRAY 0.1 of 20000: mean 2000, sd sqrt(20000*0.1*0.9) = 42.4 -> ±212.
        Assert.InRange(grays, 2000 - 212, 2000 + 212);
        // The negative's dataset is uniform over the two (not weighted by size), so about half cross datasets:
        // about 3000 of ~6000, sd sqrt(6000*0.25) = 38.7 -> ±194 around half of the negatives.
        Assert.InRange(crossDataset, negatives / 2 - 194, negatives / 2 + 194);
    }

    [Fact]
    public void NegativesCanBeForcedToAnotherVideo()
    {
        var sampler = new SiamPairSampler([new SiamSubset(AllVisible("a", 2, 30), 10)],
            new SiamPairSamplerOptions { VideosPerEpoch = 2000, Negative = 1, NegativeFromOtherVideo = true, Seed = 3 });
        Assert.All(Enumerable.Range(0, 2000).Select(i => sampler.Sample(0, i)), p =>
        {
            Assert.True(p.Negative);
            Assert.NotEqual(p.Template.Sequence, p.Search.Sequence);
        });
        // As pysot, by default: with 2 videos about half the negatives use the template's own video.
        var pysot = new SiamPairSampler([new SiamSubset(AllVisible("a", 2, 30), 10)],
            new SiamPairSamplerOptions { VideosPerEpoch = 2000, Negative = 1, Seed = 3 });
        int same = Enumerable.Range(0, 2000).Select(i => pysot.Sample(0, i)).Count(p => p.Template.Sequence == p.Search.Sequence);
        Assert.InRange(same, 1000 - 112, 1000 + 112); // sd sqrt(2000*0.25) = 22.4 -> ±112
    }

    [Fact]
    public void PairsDependOnlyOnSeedEpochAndIndex()
    {
        var sequential = Enumerable.Range(0, 3).SelectMany(e =>
            Enumerable.Range(0, 10).Select(i => ThreeDatasets(seed: 7).Sample(e, i))).ToArray();

        var shared = ThreeDatasets(seed: 7);
        var parallel = new SiamPairSample[30];
        Parallel.For(0, 30, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => parallel[k] = shared.Sample(k / 10, k % 10));
        var backwards = ThreeDatasets(seed: 7);
        var reversed = new SiamPairSample[30];
        for (int k = 29; k >= 0; k--) reversed[k] = backwards.Sample(k / 10, k % 10);

        Assert.Equal(sequential, parallel);
        Assert.Equal(sequential, reversed);
        Assert.Equal(ThreeDatasets(seed: 7).Picks(1), ThreeDatasets(seed: 7).Picks(1));
        Assert.NotEqual(sequential, Enumerable.Range(0, 30).Select(k => ThreeDatasets(seed: 8).Sample(k / 10, k % 10)).ToArray());
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        var empty = new InMemorySampleSource("empty", [Enumerable.Repeat(false, 10).ToArray()]);
        var error = Assert.Throws<ArgumentException>(() => new SiamPairSampler([new SiamSubset(empty)], new SiamPairSamplerOptions()));
        Assert.Contains("'empty'", error.Message);
        Assert.Throws<ArgumentException>(() => new SiamPairSampler([new SiamSubset(AllVisible("a", 2, 5), NumUse: -2)], new SiamPairSamplerOptions()));
        Assert.Throws<ArgumentException>(() => new SiamPairSampler([new SiamSubset(AllVisible("a", 2, 5))], new SiamPairSamplerOptions { Negative = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreeDatasets().Sample(0, 10));
    }
}

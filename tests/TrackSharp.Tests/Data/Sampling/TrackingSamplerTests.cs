using TrackSharp.Data.Datasets;
using TrackSharp.Data.Sampling;
using TrackSharp.Data.Synthetic;
using TrackSharp.Tests.Imaging;
using Xunit;
using static TrackSharp.Tests.Data.Sampling.SamplingFakes;

namespace TrackSharp.Tests.Data.Sampling;

/// <summary>
/// The OSTrack/pytracking sampler: dataset ratios (bounds are 5 standard deviations of the binomial count, worked out
/// in each test), causal/interval/trident frame placement, the visibility rules, the interval growing by 5, the
/// DATASETS_RATIO rule, and determinism per (seed, epoch, index) whatever the order or the threads.
/// </summary>
public sealed class TrackingSamplerTests
{
    [Fact]
    public void DatasetsAreDrawnInProportionToTheirRatios()
    {
        var datasets = new[] { AllVisible("a", 3, 30), AllVisible("b", 5, 30), AllVisible("c", 2, 30), AllVisible("zero", 4, 30) };
        var sampler = new TrackingSampler(datasets, [1, 2, 5, 0], new TrackingSamplerOptions { SamplesPerEpoch = 8000, Seed = 11 });
        Assert.Equal([0.125, 0.25, 0.625, 0.0], sampler.Probabilities);

        var counts = new int[4];
        foreach (var s in sampler.Epoch(0)) counts[s.DatasetIndex]++;
        // N = 8000. p = 1/8: mean 1000, sd sqrt(8000*0.125*0.875) = 29.6 -> ±148
        //           p = 2/8: mean 2000, sd sqrt(8000*0.25*0.75)   = 38.7 -> ±194
        //           p = 5/8: mean 5000, sd sqrt(8000*0.625*0.375) = 43.3 -> ±217
        Assert.InRange(counts[0], 1000 - 148, 1000 + 148);
        Assert.InRange(counts[1], 2000 - 194, 2000 + 194);
        Assert.InRange(counts[2], 5000 - 217, 5000 + 217);
        Assert.Equal(0, counts[3]);
    }

    [Fact]
    public void SequencesAreDrawnUniformlyWithinADataset()
    {
        var sampler = new TrackingSampler([AllVisible("a", 4, 30)], [1], new TrackingSamplerOptions { SamplesPerEpoch = 4000, Seed = 2 });
        var counts = new int[4];
        foreach (var s in sampler.Epoch(3)) counts[s.SequenceIndex]++;
        // p = 1/4 of 4000: mean 1000, sd sqrt(4000*0.25*0.75) = 27.4 -> ±137
        Assert.All(counts, c => Assert.InRange(c, 1000 - 137, 1000 + 137));
    }

    [Fact]
    public void RatioListsFollowTheDatasetRatiosRule()
    {
        var two = new[] { AllVisible("a", 2, 30), AllVisible("b", 6, 30) };
        var options = new TrackingSamplerOptions { SamplesPerEpoch = 10 };
        // A single ratio, or the family default [1, 1, 1, 1] for other names, means equal weights.
        Assert.Equal([0.5, 0.5], new TrackingSampler(two, [3], options).Probabilities);
        Assert.Equal([0.5, 0.5], new TrackingSampler(two, [1, 1, 1, 1], options, ratiosAreDefault: true).Probabilities);
        // OSTrack's crash (DATASETS_RATIO [1, 1, 1, 1] with one dataset set by the experiment) is a clear error.
        var error = Assert.Throws<ArgumentException>(() => new TrackingSampler([two[0]], [1, 1, 1, 1], options));
        Assert.Contains("DATASETS_NAME [a]", error.Message);
        Assert.Contains("DATASETS_RATIO [1, 1, 1, 1]", error.Message);
        // No ratios at all: proportional to the number of sequences (pytracking's p_datasets=None): 2 and 6.
        Assert.Equal([0.25, 0.75], new TrackingSampler(two, null, options).Probabilities);
        Assert.Throws<ArgumentException>(() => new TrackingSampler(two, [0, 0], options));
    }

    [Fact]
    public void CausalModePutsTemplatesBeforeSearchFramesWithinTheInterval()
    {
        // Everything visible and long sequences: no attempt fails, so the interval never grows.
        const int gap = 20;
        var sampler = new TrackingSampler([AllVisible("a", 3, 300)], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 3000, TemplateFrames = 3, SearchFrames = 2, MaxSampleInterval = gap, Seed = 5,
        });
        bool sawFullGap = false, sawEarliest = false;
        foreach (var s in sampler.Epoch(0))
        {
            Assert.Equal(3, s.TemplateFrames.Count);
            Assert.Equal(2, s.SearchFrames.Count);
            int b = s.TemplateFrames[0];
            Assert.InRange(b, 3 - 1, 300 - 2 - 1);                  // base in [T-1, len-S)
            foreach (int t in s.TemplateFrames.Skip(1)) Assert.InRange(t, b - gap, b - 1); // previous templates in [b-gap, b)
            foreach (int x in s.SearchFrames)
            {
                Assert.InRange(x, b + 1, b + gap - 1);               // search in (b, b+gap)
                Assert.True(x > s.TemplateFrames.Max());
                sawFullGap |= x == b + gap - 1;
            }
            sawEarliest |= s.TemplateFrames.Skip(1).Any(t => t == b - gap);
        }
        Assert.True(sawFullGap && sawEarliest, "the interval's ends are reachable");
    }

    [Fact]
    public void CausalIntervalGrowsByFiveAfterEachFailure()
    {
        // Visible frames every 10th frame, interval 5: (b, b+5) never holds one, so every sample needed the interval
        // to grow: by 5 per failure it first reaches b+10 after two failures (window (b, b+15)).
        var visible = Enumerable.Range(0, 200).Select(i => i % 10 == 0).ToArray();
        var sampler = new TrackingSampler([Of("sparse", visible, visible)], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 500, MaxSampleInterval = 5, Seed = 9,
        });
        var gaps = sampler.Epoch(0).Select(s => s.SearchFrames[0] - s.TemplateFrames[0]).ToList();
        Assert.All(gaps, g => Assert.True(g >= 10 && g % 10 == 0, $"gap {g}"));
        Assert.True(gaps.Count(g => g == 10) > 450, "almost always the first frame the grown window reaches");

        // Without growth nothing can be placed: an error, not an endless loop.
        var stuck = new TrackingSampler([Of("sparse", visible)], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 1, MaxSampleInterval = 5, GapIncrease = 0, MaxAttempts = 50,
        });
        var error = Assert.Throws<InvalidOperationException>(() => stuck.Sample(0, 0));
        Assert.Contains("sparse/seq0000", error.Message);
    }

    [Theory]
    [InlineData(FrameSampleMode.Causal)]
    [InlineData(FrameSampleMode.Interval)]
    [InlineData(FrameSampleMode.Trident)]
    public void InvisibleFramesAreNeverChosen(FrameSampleMode mode)
    {
        var source = Random("half", 6, 120, 0.5, seed: 4);
        var sampler = new TrackingSampler([source], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 2000, Mode = mode, TemplateFrames = 2, SearchFrames = mode == FrameSampleMode.Causal ? 2 : 1,
            MaxSampleInterval = 15, Seed = 3,
        });
        foreach (var s in sampler.Epoch(1))
        {
            var v = source.Visibility(s.SequenceIndex);
            Assert.All(s.TemplateFrames.Concat(s.SearchFrames), f => Assert.True(v.IsVisible(f), $"{s}: frame {f} invisible"));
        }
    }

    [Fact]
    public void TridentProMayUseInvisibleDynamicTemplates()
    {
        var source = Random("half", 6, 120, 0.5, seed: 4);
        var sampler = new TrackingSampler([source], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 1000, Mode = FrameSampleMode.TridentPro, TemplateFrames = 2, TridentIntervals = [10], Seed = 3,
        });
        int invisibleDynamic = 0;
        foreach (var s in sampler.Epoch(0))
        {
            var v = source.Visibility(s.SequenceIndex);
            Assert.True(v.IsVisible(s.TemplateFrames[0]) && v.IsVisible(s.SearchFrames[0]));
            int search = s.SearchFrames[0], dynamic = s.TemplateFrames[1];
            // On the first template's side of the search frame, within the interval.
            if (s.TemplateFrames[0] >= search) Assert.InRange(dynamic, search, search + 9);
            else Assert.InRange(dynamic, search - 10, search - 1);
            if (!v.IsVisible(dynamic)) invisibleDynamic++;
        }
        // About half of them; 1000 samples make fewer than 300 vanishingly unlikely.
        Assert.InRange(invisibleDynamic, 300, 700);
    }

    [Fact]
    public void IntervalModeKeepsEveryFrameNearTheBase()
    {
        var sampler = new TrackingSampler([AllVisible("a", 2, 200)], null, new TrackingSamplerOptions
        {
            SamplesPerEpoch = 1000, Mode = FrameSampleMode.Interval, TemplateFrames = 2, SearchFrames = 3, MaxSampleInterval = 12, Seed = 1,
        });
        foreach (var s in sampler.Epoch(0))
        {
            int b = s.TemplateFrames[0];
            Assert.All(s.TemplateFrames.Skip(1).Concat(s.SearchFrames), f => Assert.InRange(f, b - 12, b + 11));
        }
    }

    [Fact]
    public void SequencesTooShortOrWithTooFewVisibleFramesAreSkipped()
    {
        var tooShort = Enumerable.Repeat(true, 19).ToArray();                          // < 20 frames
        var fewVisible = Enumerable.Range(0, 50).Select(i => i < 4).ToArray();         // 4 visible, need > 2*(1+1)
        var good = Enumerable.Range(0, 50).Select(i => i % 2 == 0).ToArray();
        var sampler = new TrackingSampler([Of("mixed", tooShort, fewVisible, good)], null,
            new TrackingSamplerOptions { SamplesPerEpoch = 300 });
        Assert.All(sampler.Epoch(0), s => Assert.Equal(2, s.SequenceIndex));

        var none = new TrackingSampler([Of("unusable", tooShort, fewVisible)], null,
            new TrackingSamplerOptions { SamplesPerEpoch = 1, MaxAttempts = 100 });
        var error = Assert.Throws<InvalidOperationException>(() => none.Sample(0, 0));
        Assert.Contains("'unusable'", error.Message);
    }

    [Fact]
    public void SamplesDependOnlyOnSeedEpochAndIndex()
    {
        TrackingSampler Make(int seed) => new([Random("a", 5, 80, 0.7, 1), Random("b", 3, 60, 0.9, 2)], [1, 3],
            new TrackingSamplerOptions { SamplesPerEpoch = 1500, TemplateFrames = 2, MaxSampleInterval = 10, Seed = seed });
        var sampler = Make(42);
        var sequential = sampler.Epoch(2).Select(Key).ToArray();

        var reversed = new string[sequential.Length];
        var fresh = Make(42);
        for (int i = sequential.Length - 1; i >= 0; i--) reversed[i] = Key(fresh.Sample(2, i));

        var parallel = new string[sequential.Length];
        var shared = Make(42);
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Key(shared.Sample(2, i)));

        Assert.Equal(sequential, reversed);
        Assert.Equal(sequential, parallel);
        Assert.NotEqual(sequential, Make(43).Epoch(2).Select(Key).ToArray());
        Assert.NotEqual(sequential, sampler.Epoch(3).Select(Key).ToArray());
        Assert.NotEqual(Key(sampler.Sample(2, 7)), Key(sampler.Sample(2, 7, attempt: 1)));
        Assert.Equal(Key(sampler.Sample(2, 7, attempt: 1)), Key(Make(42).Sample(2, 7, attempt: 1)));
    }

    [Fact]
    public void SamplesSyntheticDatasetsOnlyAtVisibleFrames()
    {
        using var dir = new TempDir();
        var options = new SyntheticOptions
        {
            Sequences = 3, Frames = 40, Width = 64, Height = 48, Seed = 5,
            Difficulty = SyntheticDifficulty.Medium with { OcclusionEvents = 2, FullOcclusionShare = 1, OutOfViewProbability = 1, MaxDistractors = 0 },
        };
        var summary = SyntheticDataset.Write(dir.File("synth"), options);
        Assert.True(summary.AbsentFrames > 0, "the data set has invisible frames to avoid");
        var dataset = DatasetReader.Open(summary.Root, DatasetFormat.Got10k);
        var source = new DatasetSampleSource(dataset);
        Assert.Equal(dataset.Name, source.Name);

        var sampler = new TrackingSampler([source], [1], new TrackingSamplerOptions
        {
            SamplesPerEpoch = 600, TemplateFrames = 2, SearchFrames = 2, MaxSampleInterval = 10, Seed = 8,
        });
        foreach (var s in sampler.Epoch(0))
        {
            var sequence = dataset.Sequences[s.SequenceIndex];
            Assert.Equal(sequence.Name, s.SequenceName);
            Assert.All(s.TemplateFrames.Concat(s.SearchFrames), f => Assert.True(sequence.IsVisible(f), $"{s}: frame {f}"));
            Assert.All(s.SearchFrames, f => Assert.True(f > s.TemplateFrames[0]));
        }
    }

    [Fact]
    public void IndexOutsideTheEpochIsRejected()
    {
        var sampler = new TrackingSampler([AllVisible("a", 1, 30)], null, new TrackingSamplerOptions { SamplesPerEpoch = 5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(-1, 0));
        Assert.Throws<ArgumentException>(() => new TrackingSampler([AllVisible("a", 1, 30)], null,
            new TrackingSamplerOptions { Mode = FrameSampleMode.Trident, SearchFrames = 2 }));
    }
}

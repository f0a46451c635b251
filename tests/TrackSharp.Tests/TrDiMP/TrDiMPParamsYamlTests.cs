using System.Text.Json;
using TrackSharp.Trackers.TrDiMP;
using Xunit;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>
/// The tracker parameter files: the golden run's <c>params_trdimp.json</c> / <c>params_trsiam.json</c> (JSON is YAML)
/// give the values the JSON holds (read independently here), the shipped <c>experiments/trdimp/*.yaml</c> equal the
/// built-in TrDiMP / TrSiam parameters, and bad keys or values fail naming file, line and key.
/// </summary>
public sealed class TrDiMPParamsYamlTests
{
    private static string RepoFile(string relative) => Path.Combine(TestPaths.RepoRoot, relative);

    private static void AssertSame(TrDiMPTrackerParams expected, TrDiMPTrackerParams actual)
    {
        foreach (var prop in typeof(TrDiMPTrackerParams).GetProperties().Where(p => p.GetIndexParameters().Length == 0 && !p.GetMethod!.IsStatic))
        {
            object? e = prop.GetValue(expected), a = prop.GetValue(actual);
            if (e is System.Collections.IEnumerable ee && a is System.Collections.IEnumerable ae && e is not string)
                Assert.True(ee.Cast<object>().SequenceEqual(ae.Cast<object>()), $"{prop.Name} differs");
            else Assert.True(Equals(e, a), $"{prop.Name}: expected {e}, got {a}");
        }
    }

    [Theory]
    [InlineData("params_trdimp.json")]
    [InlineData("params_trsiam.json")]
    public void GoldenParameterFilesGiveTheirValues(string file)
    {
        string path = TrDiMPGolden.File(file);
        // A baseline far from every value, so that each checked value must come from the file.
        var baseline = new TrDiMPTrackerParams
        {
            ImageSampleSize = 1, SearchAreaScale = 1, NetOptIter = 99, NetOptUpdateIter = 99, NetOptHnIter = 99, LearningRate = 9,
            TransformerMemorySize = 1, FlipLr = false, RotateDegrees = [], Localization = new AdvancedLocalization.Settings(9, 9, 9, 9, 9, 7, 7),
            Refinement = new IouBoxRefinement.Settings(99, 9, 9, 9, 9, 9, 99),
        };
        var p = TrDiMPParamsYaml.Load(path, baseline);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var j = json.RootElement;
        Assert.Equal(j.GetProperty("image_sample_size").GetInt32(), p.ImageSampleSize);
        Assert.Equal(j.GetProperty("search_area_scale").GetDouble(), p.SearchAreaScale);
        Assert.Equal(j.GetProperty("net_opt_iter").GetInt32(), p.NetOptIter);
        Assert.Equal(j.GetProperty("net_opt_update_iter").GetInt32(), p.NetOptUpdateIter);
        Assert.Equal(j.GetProperty("net_opt_hn_iter").GetInt32(), p.NetOptHnIter);
        Assert.Equal(j.GetProperty("learning_rate").GetDouble(), p.LearningRate);
        Assert.Equal(j.GetProperty("transformer_memory_size").GetInt32(), p.TransformerMemorySize);
        Assert.Equal(j.GetProperty("dispalcement_scale").GetDouble(), p.Localization.DisplacementScale);
        Assert.Equal(j.GetProperty("target_not_found_threshold").GetDouble(), p.Localization.TargetNotFoundThreshold);
        Assert.Equal(j.GetProperty("box_refinement_iter").GetInt32(), p.Refinement.Iterations);
        Assert.Equal(j.GetProperty("box_refinement_step_length").GetDouble(), p.Refinement.StepLength);
        Assert.Equal(j.GetProperty("iounet_k").GetInt32(), p.Refinement.TopK);
        var aug = j.GetProperty("augmentation");
        Assert.Equal(aug.GetProperty("fliplr").GetBoolean(), p.FlipLr);
        Assert.Equal(aug.GetProperty("rotate").EnumerateArray().Select(e => e.GetDouble()), p.RotateDegrees);
        Assert.Equal(aug.GetProperty("blur").EnumerateArray().Select(e => (e[0].GetDouble(), e[1].GetDouble())), p.BlurSigmas);
        Assert.Equal((aug.GetProperty("dropout")[0].GetInt32(), aug.GetProperty("dropout")[1].GetDouble()), p.Dropout);
        // Keys the file does not set keep the baseline ("code defaults").
        Assert.Equal(7, p.Localization.UncertainThreshold);
        Assert.Equal(7, p.Localization.HardSampleThreshold);
    }

    [Fact]
    public void ShippedYamlFilesEqualTheBuiltInParameters()
    {
        var other = new TrDiMPTrackerParams { NetOptIter = 99, LearningRate = 9, RotateDegrees = [] };
        AssertSame(TrDiMPTrackerParams.TrDiMP, TrDiMPParamsYaml.Load(RepoFile("experiments/trdimp/trdimp.yaml"), other));
        AssertSame(TrDiMPTrackerParams.TrSiam, TrDiMPParamsYaml.Load(RepoFile("experiments/trdimp/trsiam.yaml"), other));
    }

    [Theory]
    [InlineData("net_opt_iter: 10\nnet_opt_itr: 3\n", "net_opt_itr", ":2")]
    [InlineData("border_mode: replicate\n", "border_mode", ":1")]
    [InlineData("net_opt_iter: 2.5\n", "net_opt_iter", ":1")]
    [InlineData("augmentation:\n  mirror: true\n", "mirror", ":2")]
    public void BadKeysAndValuesNameFileLineAndKey(string yaml, string key, string line)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("tracksharp-trdimp-params-").FullName, "p.yaml");
        try
        {
            File.WriteAllText(path, yaml);
            var e = Assert.Throws<FormatException>(() => TrDiMPParamsYaml.Load(path, TrDiMPTrackerParams.TrDiMP));
            Assert.Contains(path + line, e.Message);
            Assert.Contains(key, e.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}

using Xunit;
using TrackSharp.Config;

namespace TrackSharp.Tests.Config;

public class ConfigOverrideTests
{
    private static readonly string OSTrackGolden = ConfigTestFiles.Golden("ostrack_small/config.yaml");

    [Fact]
    public void Scalars_ListsAndNestedMappings()
    {
        var cfg = ConfigFamily.OSTrack.Load(OSTrackGolden,
        [
            "TRAIN.BATCH_SIZE=8", "TRAIN.LR=1", "TRAIN.AMP=true", "TRAIN.OPTIMIZER=SGD",
            "DATA.TRAIN.DATASETS_NAME=[GOT10K_vottrain, LASOT]", "DATA.TRAIN.DATASETS_RATIO=[1, 3]",
            "DATA.SEARCH={SIZE: 384, FACTOR: 5}", "MODEL.BACKBONE.CE_LOC=[3, 6, 9]",
        ]);
        Assert.Equal(8, cfg.Get<int>("TRAIN.BATCH_SIZE"));
        Assert.Equal(1.0, cfg.Get<double>("TRAIN.LR"));
        Assert.Equal(ConfigKind.Float, cfg.Node("TRAIN.LR").Kind);
        Assert.True(cfg.Get<bool>("TRAIN.AMP"));
        Assert.Equal("SGD", cfg.Get<string>("TRAIN.OPTIMIZER"));
        Assert.Equal(["GOT10K_vottrain", "LASOT"], cfg.Get<string[]>("DATA.TRAIN.DATASETS_NAME"));
        Assert.Equal([1.0, 3.0], cfg.Get<double[]>("DATA.TRAIN.DATASETS_RATIO"));
        Assert.Equal(384, cfg.Get<int>("DATA.SEARCH.SIZE"));
        Assert.Equal(5.0, cfg.Get<double>("DATA.SEARCH.FACTOR"));
        Assert.Equal(0.25, cfg.Get<double>("DATA.SEARCH.SCALE_JITTER")); // untouched sibling keeps the file value
        Assert.Equal([3, 6, 9], cfg.Get<int[]>("MODEL.BACKBONE.CE_LOC"));
        Assert.Equal(ConfigSourceKind.Override, cfg.Node("TRAIN.BATCH_SIZE").Source.Kind);
        Assert.Equal("override 'TRAIN.BATCH_SIZE=8'", cfg.Node("TRAIN.BATCH_SIZE").Source.ToString());
    }

    [Fact]
    public void LaterOverridesWin_AndEmptyValueClearsAString()
    {
        var cfg = ConfigFamily.OSTrack.Load(null, ["TRAIN.EPOCH=10", "TRAIN.EPOCH=20", "MODEL.PRETRAIN_FILE="]);
        Assert.Equal(20, cfg.Get<int>("TRAIN.EPOCH"));
        Assert.Equal("", cfg.Get<string>("MODEL.PRETRAIN_FILE"));
        Assert.Equal(500, cfg.Get<int>("TEST.EPOCH")); // defaults only
    }

    [Fact]
    public void OpenMappingsTakeNewKeys_SchemaFreeFamiliesTakeTheFileAsSchema()
    {
        var ban = ConfigFamily.SiamBan.Load(ConfigTestFiles.Golden("siamban_small/config.yaml"), ["BACKBONE.KWARGS.new_arg=3"]);
        Assert.Equal(3, ban.Get<int>("BACKBONE.KWARGS.new_arg"));

        string file = ConfigTestFiles.Golden("siamfcpp_small/config_test_track.yaml");
        var va = ConfigFamily.VideoAnalyst.Load(file, ["pipeline.SiamFCppTracker.test_lr=0.6", "tester.names=[OTBTester]"]);
        Assert.Equal(0.6, va.Get<double>("pipeline.SiamFCppTracker.test_lr"));
        Assert.Equal(["OTBTester"], va.Get<string[]>("tester.names"));
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.VideoAnalyst.Load(file, ["pipeline.SiamFCppTracker.test_rl=0.6"]));
        Assert.Contains("override 'pipeline.SiamFCppTracker.test_rl=0.6': pipeline.SiamFCppTracker.test_rl: unknown key (did you mean test_lr?)", e.Message);
    }

    [Fact]
    public void Dump_ShowsOverriddenValues()
    {
        var cfg = ConfigFamily.OSTrack.Load(OSTrackGolden, ["TRAIN.BATCH_SIZE=8", "TRAIN.LR=0.00005"]);
        string yaml = cfg.ToYaml();
        Assert.Contains("  BATCH_SIZE: 8\n", yaml);
        Assert.Contains("  LR: 5.0e-05\n", yaml);
        Assert.Contains("  PRETRAIN_FILE: ''\n", yaml);
        Assert.Contains("  MEAN: [0.485, 0.456, 0.406]\n", yaml);
        Assert.StartsWith("MODEL:\n", yaml); // the defaults' key order
    }
}

public class ConfigErrorTests
{
    [Fact]
    public void UnknownKeyInFile_NamesFileLineAndFullKeyPath()
    {
        using var files = new ConfigTestFiles();
        // line 27 of the golden is "    DATASETS_NAME:"
        string path = files.WithLine("ostrack_small/config.yaml", "ostrack.yaml", 27, "    DATASET_NAME:");
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(path));
        Assert.Contains("ostrack.yaml:27: DATA.TRAIN.DATASET_NAME: unknown key (did you mean DATASETS_NAME?)", e.Message);
        Assert.Single(e.Errors);
        Assert.Equal(27, e.Errors[0].Source.Line);
        Assert.Equal("DATA.TRAIN.DATASET_NAME", e.Errors[0].KeyPath);
    }

    [Fact]
    public void WrongTypeInFile_NamesFileLineAndKey()
    {
        using var files = new ConfigTestFiles();
        // line 60: "  BATCH_SIZE: 2"
        string path = files.WithLine("ostrack_small/config.yaml", "ostrack.yaml", 60, "  BATCH_SIZE: two");
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(path));
        Assert.Contains("ostrack.yaml:60: TRAIN.BATCH_SIZE: expected an int, got a string (two)", e.Message);
    }

    [Fact]
    public void WrongTypeInListElementAndMapping()
    {
        using var files = new ConfigTestFiles();
        string path = files.Write("exp.yaml", "DATA:\n  MEAN: [0.5, x, 0.5]\nTRAIN:\n  SCHEDULER: step\n");
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(path));
        Assert.Equal(2, e.Errors.Count); // both problems in one exception
        Assert.Contains("exp.yaml:2: DATA.MEAN[1]: expected a float, got a string (x)", e.Message);
        Assert.Contains("exp.yaml:4: TRAIN.SCHEDULER: expected a mapping, got a string (step)", e.Message);
    }

    [Fact]
    public void Overrides_NameTheOverrideText()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["TRAIN.BATCH_SIZE=abc"]));
        Assert.Contains("override 'TRAIN.BATCH_SIZE=abc': TRAIN.BATCH_SIZE: expected an int, got a string (abc)", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["TRAIN.BATCH_SIZES=8"]));
        Assert.Contains("override 'TRAIN.BATCH_SIZES=8': TRAIN.BATCH_SIZES: unknown key (did you mean BATCH_SIZE?)", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["TRAIN.BATCH_SIZE"]));
        Assert.Contains("override 'TRAIN.BATCH_SIZE': expected KEY.PATH=value", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["DATA.MEAN=[0.1, 0.2"]));
        Assert.Contains("override 'DATA.MEAN=[0.1, 0.2'", e.Message);
        Assert.Contains("DATA.MEAN: invalid YAML", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.SAMPLE_PER_EPOCH=1.5"]));
        Assert.Contains("DATA.TRAIN.SAMPLE_PER_EPOCH: expected an int, got a float (1.5)", e.Message);
    }

    [Fact]
    public void MalformedYamlAndMissingFile_NameTheFile()
    {
        using var files = new ConfigTestFiles();
        string path = files.Write("broken.yaml", "TRAIN:\n  LR: 0.1\n  EPOCH: [1, 2\n");
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(path));
        Assert.Contains("broken.yaml:", e.Message);
        Assert.Contains("invalid YAML", e.Message);

        string dup = files.Write("dup.yaml", "TRAIN:\n  LR: 0.1\n  LR: 0.2\n");
        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(dup));
        Assert.Contains("dup.yaml:3", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(Path.Combine(files.Folder, "missing.yaml")));
        Assert.Contains("missing.yaml", e.Message);
    }

    [Fact]
    public void Get_WrongKindOrMissingKey_NamesThePath()
    {
        var cfg = ConfigFamily.OSTrack.Load(ConfigTestFiles.Golden("ostrack_small/config.yaml"));
        var e = Assert.Throws<ConfigException>(() => cfg.Get<int>("DATA.SEARCH.FACTOR"));
        Assert.Contains("config.yaml:13: DATA.SEARCH.FACTOR: expected Int32", e.Message);
        e = Assert.Throws<ConfigException>(() => cfg.Get<int>("DATA.SEARCH.SIZES"));
        Assert.Contains("DATA.SEARCH.SIZES: no such key in the config (did you mean SIZE?)", e.Message);
        Assert.Equal(7, cfg.Get("DATA.SEARCH.SIZES", 7));
    }
}

public class DatasetRatioTests
{
    [Fact]
    public void DefaultRatiosFollowChangedNames()
    {
        // OSTrack's defaults pair [LASOT, GOT10K_vottrain] with [1, 1]; training on one dataset must not crash
        var cfg = ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.DATASETS_NAME=[GOT10K_vottrain]"]);
        Assert.Equal([1.0], cfg.Get<double[]>("DATA.TRAIN.DATASETS_RATIO"));
        cfg = ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.DATASETS_NAME=[A, B, C]"]);
        Assert.Equal([1.0, 1.0, 1.0], cfg.Get<double[]>("DATA.TRAIN.DATASETS_RATIO"));
    }

    [Fact]
    public void SingleRatioOrEmptyList_MeansEqualWeights()
    {
        var cfg = ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.DATASETS_NAME=[A, B, C]", "DATA.TRAIN.DATASETS_RATIO=[2]"]);
        Assert.Equal([2.0, 2.0, 2.0], cfg.Get<double[]>("DATA.TRAIN.DATASETS_RATIO"));
        cfg = ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.DATASETS_RATIO=[]"]);
        Assert.Equal([1.0, 1.0], cfg.Get<double[]>("DATA.TRAIN.DATASETS_RATIO"));
        cfg = ConfigFamily.OSTrack.Load(null, ["DATA.VAL.DATASETS_NAME=[X, Y]", "DATA.VAL.DATASETS_RATIO=[0.5]"]);
        Assert.Equal([0.5, 0.5], cfg.Get<double[]>("DATA.VAL.DATASETS_RATIO"));
    }

    [Fact]
    public void OtherLengths_AreAnErrorNamingBothLists()
    {
        using var files = new ConfigTestFiles();
        // golden line 30: "    - 1" (the only ratio); give two ratios for the one dataset
        string path = files.WithLine("ostrack_small/config.yaml", "ostrack.yaml", 30, "    - 1\n    - 2");
        var e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(path));
        Assert.Contains("ostrack.yaml:29: DATA.TRAIN.DATASETS_RATIO: 2 ratios for 1 datasets", e.Message);
        Assert.Contains("ostrack.yaml:27) is [GOT10K_vottrain]", e.Message);
        Assert.Contains("DATASETS_RATIO is [1.0, 2.0]", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.DATASETS_RATIO=[1, 2, 3]"]));
        Assert.Contains("override 'DATA.TRAIN.DATASETS_RATIO=[1, 2, 3]': DATA.TRAIN.DATASETS_RATIO: 3 ratios for 2 datasets", e.Message);
        Assert.Contains("[LASOT, GOT10K_vottrain]", e.Message);

        e = Assert.Throws<ConfigException>(() => ConfigFamily.OSTrack.Load(null, ["DATA.TRAIN.DATASETS_RATIO=[1, -1]"]));
        Assert.Contains("non-negative", e.Message);
    }

    [Fact]
    public void Resolve_PureRule()
    {
        Assert.Equal([1.0, 1.0], DatasetRatios.Resolve(["a", "b"], []));
        Assert.Equal([3.0, 3.0], DatasetRatios.Resolve(["a", "b"], [3]));
        Assert.Equal([1.0, 2.0], DatasetRatios.Resolve(["a", "b"], [1, 2]));
        Assert.Equal([1.0], DatasetRatios.Resolve(["a"], [1, 1], ratiosAreDefault: true));
        var e = Assert.Throws<ArgumentException>(() => DatasetRatios.Resolve(["a"], [1, 1]));
        Assert.Contains("DATASETS_NAME [a], DATASETS_RATIO [1, 1]", e.Message);
        Assert.Throws<ArgumentException>(() => DatasetRatios.Resolve(["a", "b"], [0, 0]));
    }
}

public class ConfigYamlTests
{
    [Theory]
    [InlineData("3", ConfigKind.Int)]
    [InlineData("-1", ConfigKind.Int)]
    [InlineData("0x1F", ConfigKind.Int)]
    [InlineData("3.0", ConfigKind.Float)]
    [InlineData("5.0e-05", ConfigKind.Float)]
    [InlineData("1e-4", ConfigKind.Float)]
    [InlineData(".inf", ConfigKind.Float)]
    [InlineData("True", ConfigKind.Bool)]
    [InlineData("off", ConfigKind.Bool)]
    [InlineData("~", ConfigKind.Null)]
    [InlineData("", ConfigKind.Null)]
    [InlineData("'2015'", ConfigKind.String)]
    [InlineData("vit_base_patch16_224", ConfigKind.String)]
    [InlineData("1.2.3", ConfigKind.String)]
    public void ScalarsResolveLikePyYaml(string text, ConfigKind kind)
    {
        var root = ConfigYaml.Parse("k: " + text, "t");
        Assert.True(root.TryGetChild("k", out var node));
        Assert.Equal(kind, node.Kind);
    }

    [Theory]
    [InlineData(0.0001, "0.0001")]
    [InlineData(5e-05, "5.0e-05")]
    [InlineData(4.0, "4.0")]
    [InlineData(1e20, "1.0e+20")]
    [InlineData(0.3333333333333333, "0.3333333333333333")]
    public void FloatsAreWrittenWithAPoint(double value, string text)
    {
        Assert.Equal(text, ConfigYaml.FormatFloat(value));
        var back = ConfigYaml.Parse("k: " + text, "t");
        back.TryGetChild("k", out var node);
        Assert.Equal(value, (double)node.Value!);
    }

    [Fact]
    public void StringsThatLookLikeOtherKindsAreQuoted()
    {
        var tree = ConfigNode.Map([
            new("a", ConfigNode.Of("2015")), new("b", ConfigNode.Of("")), new("c", ConfigNode.Of("yes")),
            new("d", ConfigNode.Of("x: y")), new("e", ConfigNode.Of("it's\nhere")), new("f", ConfigNode.Of("- a")),
            new("g", ConfigNode.List([ConfigNode.List([ConfigNode.Of(1L), ConfigNode.Of(0.5)])])),
            new("h", ConfigNode.List([ConfigNode.Map([new("x", ConfigNode.Of(1L)), new("y", ConfigNode.Of("z"))])])),
        ]);
        string yaml = ConfigYaml.Format(tree);
        var back = ConfigYaml.Parse(yaml, "t");
        Assert.True(tree.ValueEquals(back), yaml);
    }
}

public class ConfigFamilyTests
{
    [Fact]
    public void RegistryAndCustomFamilies()
    {
        Assert.Same(ConfigFamily.OSTrack, ConfigFamily.Get("OSTrack"));
        Assert.Same(ConfigFamily.VideoAnalyst, ConfigFamily.Get("video_analyst"));
        Assert.Throws<KeyNotFoundException>(() => ConfigFamily.Get("nope"));

        var family = ConfigFamily.FromYaml("toy", "A:\n  B: 1\n  K: !open\n    x: 1\nNAMES: [a]\nRATIOS: []\n",
            [new DatasetRatioRule("NAMES", "RATIOS")]);
        var cfg = family.Load(null, ["A.K.y=2", "NAMES=[a, b]"]);
        Assert.Equal(2, cfg.Get<int>("A.K.y"));
        Assert.Equal([1.0, 1.0], cfg.Get<double[]>("RATIOS"));
        var e = Assert.Throws<ConfigException>(() => family.Load(null, ["A.C=1"]));
        Assert.Contains("A.C: unknown key (known keys: B, K)", e.Message);
        Assert.Contains(family.Schema(), s => s is { Path: "A.K", Kind: ConfigKind.Map, Open: true });
    }
}

using TrackSharp.Config;
using TrackSharp.Data.Datasets;
using TrackSharp.Tests.Data.Datasets;
using TrackSharp.Trackers.OSTrack.Training;
using Xunit;

namespace TrackSharp.Tests.OSTrack.Training;

/// <summary>
/// OSTrack's dataset names (<c>names2datasets</c> in <c>lib/train/base_functions.py</c>) on hand-made trees: the GOT-10k
/// names select the sequences of their split list (0-based indices into the train folder's list.txt, here written in an
/// order different from name order), <c>GOT10K_official_val</c> reads its whole folder, <c>COCO17</c> is COCO 2017 train
/// as one-frame sequences, <c>TRACKINGNET</c> the TRAIN_k chunks only. Expected names come from the files written.
/// </summary>
public sealed class OSTrackTrainingDatasetsTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static ExperimentConfig Config(params string[] names) =>
        ConfigLoader.Load(ConfigFamily.OSTrack, OSTrackGolden.ConfigPath,
            $"DATA.TRAIN.DATASETS_NAME=[{string.Join(", ", names)}]", $"DATA.TRAIN.DATASETS_RATIO=[{string.Join(", ", names.Select(_ => "1"))}]");

    /// <summary>list.txt: 000004, 000001, 000003, 000002 (indices 0..3 in that order).</summary>
    private string WriteGot10kTrain(string folder = "got10k/train")
    {
        _fx.Text($"{folder}/list.txt", "GOT-10k_Train_000004\nGOT-10k_Train_000001\nGOT-10k_Train_000003\nGOT-10k_Train_000002\n");
        foreach (int i in new[] { 1, 2, 3, 4 })
        {
            string seq = $"{folder}/GOT-10k_Train_{i:D6}";
            _fx.Frames(seq, 2);
            _fx.Text(seq + "/groundtruth.txt", "1,2,3,4\n5,6,7,8\n");
        }
        return _fx.PathOf(folder);
    }

    private static string[] Names(ISequenceDataset d) => d.Sequences.Select(s => s.Name).ToArray();

    [Fact]
    public void Got10kSplitNamesSelectTheirSplitListsFromTheSplitsFolder()
    {
        string train = WriteGot10kTrain();
        _fx.Text("specs/got10k_vot_train_split.txt", "2\n0\n");
        _fx.Text("specs/got10k_vot_val_split.txt", "3\n");
        _fx.Text("specs/got10k_train_full_split.txt", "1\n3\n2\n");
        var roots = new Dictionary<string, string>
        {
            ["got10k"] = train, [OSTrackTrainingDatasets.SplitsKey] = _fx.PathOf("specs"),
        };
        var specs = OSTrackTrainingDatasets.ResolveTrain(Config("GOT10K_vottrain", "GOT10K_votval", "GOT10K_train_full"), roots);
        Assert.Equal(3, specs.Count); // GOT10K_SPLITS is not a dataset of its own
        Assert.Equal(Path.Combine(_fx.PathOf("specs"), "got10k_vot_train_split.txt"), specs[0].SplitFile);
        var datasets = OSTrackTrainingDatasets.Open(specs);
        Assert.Equal(new[] { "GOT-10k_Train_000003", "GOT-10k_Train_000004" }, Names(datasets[0]));
        Assert.Equal(new[] { "GOT-10k_Train_000002" }, Names(datasets[1]));
        Assert.Equal(new[] { "GOT-10k_Train_000001", "GOT-10k_Train_000002", "GOT-10k_Train_000003" }, Names(datasets[2]));
    }

    [Fact]
    public void SplitListInTheGot10kFolderIsUsedWithoutASplitsFolder()
    {
        string train = WriteGot10kTrain();
        _fx.Text("got10k/train/got10k_vot_train_split.txt", "1\n");
        var specs = OSTrackTrainingDatasets.ResolveTrain(Config("GOT10K_vottrain"), new Dictionary<string, string> { ["GOT10K_vottrain"] = train });
        Assert.Equal(new[] { "GOT-10k_Train_000001" }, Names(Assert.Single(OSTrackTrainingDatasets.Open(specs))));
    }

    [Fact]
    public void MissingSplitListIsNamedWithTheWayToGiveIt()
    {
        string train = WriteGot10kTrain();
        var specs = OSTrackTrainingDatasets.ResolveTrain(Config("GOT10K_votval"), new Dictionary<string, string> { ["GOT10K_votval"] = train });
        var e = Assert.Throws<FileNotFoundException>(() => OSTrackTrainingDatasets.Open(specs));
        Assert.Contains(Path.Combine(train, "got10k_vot_val_split.txt"), e.Message);
        Assert.Contains("--data GOT10K_SPLITS=FOLDER", e.Message);
        Assert.Contains("GOT10K_votval", e.Message);
    }

    [Fact]
    public void OfficialValAndALayoutNameReadTheWholeFolder()
    {
        string val = WriteGot10kTrain("got10k/val");
        var official = OSTrackTrainingDatasets.ResolveTrain(Config("GOT10K_official_val"), new Dictionary<string, string> { ["GOT10K_official_val"] = val });
        Assert.Null(Assert.Single(official).SplitFile);
        Assert.Equal(4, Assert.Single(OSTrackTrainingDatasets.Open(official)).Sequences.Count);

        // An empty DATASETS_NAME and --data got10k=PATH: the whole folder, as small_synthetic.yaml trains.
        var added = OSTrackTrainingDatasets.ResolveTrain(Config(), new Dictionary<string, string> { ["got10k"] = val });
        Assert.Equal(4, Assert.Single(OSTrackTrainingDatasets.Open(added)).Sequences.Count);
    }

    [Fact]
    public void Coco17IsCoco2017TrainAsOneFrameSequences()
    {
        // train2017: objects 10 and 12 (11 is a crowd region); val2017 must not be read.
        _fx.Text("coco/annotations/instances_train2017.json", """
            {"images": [{"id": 1, "width": 32, "height": 24, "file_name": "000000000001.jpg"}],
             "categories": [{"id": 18, "name": "dog", "supercategory": "animal"}],
             "annotations": [
               {"id": 10, "image_id": 1, "category_id": 18, "bbox": [1, 2, 10, 12], "iscrowd": 0},
               {"id": 11, "image_id": 1, "category_id": 18, "bbox": [0, 0, 30, 20], "iscrowd": 1},
               {"id": 12, "image_id": 1, "category_id": 18, "bbox": [3, 4, 5, 6], "iscrowd": 0}]}
            """);
        _fx.Text("coco/annotations/instances_val2017.json", """
            {"images": [{"id": 7, "width": 32, "height": 24, "file_name": "000000000007.jpg"}],
             "categories": [{"id": 18, "name": "dog", "supercategory": "animal"}],
             "annotations": [{"id": 99, "image_id": 7, "category_id": 18, "bbox": [1, 1, 5, 5], "iscrowd": 0}]}
            """);
        _fx.Frames("coco/images/train2017", 1, "{0:D12}.jpg");
        var specs = OSTrackTrainingDatasets.ResolveTrain(Config("COCO17"), new Dictionary<string, string> { ["COCO17"] = _fx.PathOf("coco") });
        Assert.Equal(DatasetFormat.Coco, Assert.Single(specs).Format);
        var coco = Assert.Single(OSTrackTrainingDatasets.Open(specs));
        Assert.Equal(new[] { "10", "12" }, Names(coco));
        Assert.Equal(1, coco.Sequences[0].Length);
    }

    [Fact]
    public void TrackingNetIsItsTrainChunksWithoutTest()
    {
        _fx.Frames("tn/TRAIN_0/frames/vidA", 3, "{0}.jpg", first: 0);
        _fx.Text("tn/TRAIN_0/anno/vidA.txt", "1,2,3,4\n5,6,7,8\n9,10,11,12\n");
        _fx.Frames("tn/TRAIN_3/frames/vidB", 2, "{0}.jpg", first: 0);
        _fx.Text("tn/TRAIN_3/anno/vidB.txt", "1,2,3,4\n5,6,7,8\n");
        _fx.Frames("tn/TEST/frames/vidT", 4, "{0}.jpg", first: 0);
        _fx.Text("tn/TEST/anno/vidT.txt", "7,8,9,10\n"); // first box only: no training pairs
        var specs = OSTrackTrainingDatasets.ResolveTrain(Config("TRACKINGNET"), new Dictionary<string, string> { ["trackingnet"] = _fx.PathOf("tn") });
        Assert.Equal(DatasetFormat.TrackingNet, Assert.Single(specs).Format);
        var tn = Assert.Single(OSTrackTrainingDatasets.Open(specs));
        Assert.Equal(new[] { "vidA", "vidB" }, Names(tn).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FreezeLayersWarnsOnlyWhenItAsksForSomething()
    {
        Assert.False(OSTrackTrainSettings.WarnsAboutFreezeLayers([]));
        Assert.False(OSTrackTrainSettings.WarnsAboutFreezeLayers([0])); // upstream's default, in every published config
        Assert.True(OSTrackTrainSettings.WarnsAboutFreezeLayers([2]));
        Assert.True(OSTrackTrainSettings.WarnsAboutFreezeLayers([0, 1]));
        var settings = OSTrackTrainSettings.FromConfig(ConfigLoader.Load(ConfigFamily.OSTrack, OSTrackGolden.ConfigPath, "TRAIN.FREEZE_LAYERS=[1, 2]"));
        Assert.Equal(new[] { 1, 2 }, settings.FreezeLayers);
    }
}

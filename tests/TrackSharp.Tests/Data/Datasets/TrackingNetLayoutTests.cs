using System.Text.Json;
using TrackSharp.Data.Datasets;
using TrackSharp.Geometry;
using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>
/// The TrackingNet layout (TRAIN_k/TEST chunks with <c>anno/&lt;vid&gt;.txt</c> and <c>frames/&lt;vid&gt;/0.jpg ...</c>,
/// numbered from 0 without padding) on a hand-made fixture; expected values are the numbers written.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class TrackingNetLayoutTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    /// <summary>TRAIN_0 with two videos (12 frames: 0.jpg .. 11.jpg, so 10.jpg must sort after 9.jpg), TRAIN_11 with
    /// one, TEST with one whose annotation is the first box only.</summary>
    private string WriteFixture()
    {
        _fx.Frames("tn/TRAIN_0/frames/-3TIfnTSM6c_2", 12, "{0}.jpg", first: 0);
        _fx.Text("tn/TRAIN_0/anno/-3TIfnTSM6c_2.txt", DatasetFixture.Lines(12, i => $"{i}.5,{2 * i},30,40"));
        _fx.Frames("tn/TRAIN_0/frames/a1qoB1eERn0_0", 3, "{0}.jpg", first: 0);
        _fx.Text("tn/TRAIN_0/anno/a1qoB1eERn0_0.txt", "1,2,3,4\n5,6,7,8\n9,10,11,12\n");
        _fx.Frames("tn/TRAIN_11/frames/zzz_1", 2, "{0}.jpg", first: 0);
        _fx.Text("tn/TRAIN_11/anno/zzz_1.txt", "-5,3,20,10\n-4,3,20,10\n"); // leaves the image on the left: kept as is
        _fx.Frames("tn/TEST/frames/0-6LB4FqxoE_0", 4, "{0}.jpg", first: 0);
        _fx.Text("tn/TEST/anno/0-6LB4FqxoE_0.txt", "7,8,9,10\n");
        return _fx.PathOf("tn");
    }

    [Fact]
    public void ReadsTrainAndTestChunksWithUnpaddedFramesFromZero()
    {
        string root = WriteFixture();
        Assert.Equal(DatasetFormat.TrackingNet, DatasetReader.Detect(root));
        Assert.Equal(DatasetFormat.TrackingNet, DatasetReader.Detect(Path.Combine(root, "TEST"))); // one chunk alone
        Assert.Equal(DatasetFormat.TrackingNet, DatasetFormats.Parse("TrackingNet"));

        var dataset = DatasetReader.Open(root);
        Assert.Equal(new[] { "0-6LB4FqxoE_0", "-3TIfnTSM6c_2", "a1qoB1eERn0_0", "zzz_1" }.Order(StringComparer.Ordinal),
            dataset.Sequences.Select(s => s.Name).Order(StringComparer.Ordinal));

        var train = dataset["-3TIfnTSM6c_2"];
        Assert.Equal(12, train.Length);
        Assert.Equal("0.jpg", Path.GetFileName(train.FramePaths[0]));
        Assert.Equal("9.jpg", Path.GetFileName(train.FramePaths[9]));
        Assert.Equal("10.jpg", Path.GetFileName(train.FramePaths[10]));   // numeric, not string, order
        Assert.Equal(new BoxXywh(10.5, 20, 30, 40), train.GroundTruth[10]);
        Assert.Equal("TRAIN_0", train.Attributes["chunk"]);
        Assert.Equal((32, 24), train.ImageSize);

        Assert.Equal(new BoxXywh(-5, 3, 20, 10), dataset["zzz_1"].GroundTruth[0]);
        Assert.Equal("TRAIN_11", dataset["zzz_1"].Attributes["chunk"]);

        var test = dataset["0-6LB4FqxoE_0"];
        Assert.Equal(4, test.Length);                                       // every frame, the first box only
        Assert.Equal(new BoxXywh(7, 8, 9, 10), test.GroundTruth[0]);
        Assert.True(double.IsNaN(test.GroundTruth[3].Width));

        var report = DatasetChecker.Check(dataset);
        Assert.Empty(report.Problems);
        Assert.Equal(12 + 3 + 2 + 4, report.Frames);
    }

    /// <summary>pytracking's <c>TrackingNet(set_ids=[...])</c>: only the TRAIN_k chunks named, never TEST.</summary>
    [Fact]
    public void SetIdsSelectTheirTrainChunksOnly()
    {
        var dataset = DatasetReader.Open(WriteFixture());
        Assert.Equal(["TEST", "TRAIN_0", "TRAIN_11"], TrackingNetChunks.ChunksIn(dataset));

        var first = TrackingNetChunks.Select(dataset, [0, 1, 2, 3]);
        Assert.Equal(new[] { "-3TIfnTSM6c_2", "a1qoB1eERn0_0" }.Order(StringComparer.Ordinal),
            first.Sequences.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["zzz_1"], TrackingNetChunks.Select(dataset, [11]).Sequences.Select(s => s.Name));
        Assert.Empty(TrackingNetChunks.Select(dataset, [5]).Sequences);
        Assert.Equal(3, TrackingNetChunks.Select(dataset, [11, 0]).Sequences.Count);

        Assert.Contains("12", Assert.Throws<ArgumentException>(() => TrackingNetChunks.Select(dataset, [12])).Message);
        Assert.Contains("-1", Assert.Throws<ArgumentException>(() => TrackingNetChunks.Select(dataset, [-1])).Message);
    }

    [Fact]
    public void DatasetsCheckReportsAMissingFrameAShortAnnotationAndAFolderWithoutAnnotation()
    {
        string root = WriteFixture();
        File.Delete(Path.Combine(root, "TRAIN_0", "frames", "a1qoB1eERn0_0", "1.jpg"));
        File.WriteAllText(Path.Combine(root, "TRAIN_11", "anno", "zzz_1.txt"), "-5,3,20,10\n");
        _fx.Frames("tn/TRAIN_0/frames/orphan_0", 2, "{0}.jpg", first: 0);

        string json = _fx.PathOf("check.json");
        var result = CliRunner.Run(["datasets", "check", root, "--json", json]);
        Assert.Equal(2, result.ExitCode);
        var doc = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("trackingnet", doc.GetProperty("format").GetString());
        var problems = doc.GetProperty("problems").EnumerateArray()
            .Select(p => (File: p.GetProperty("file").GetString()!, Message: p.GetProperty("message").GetString()!)).ToList();
        Assert.Contains(problems, p => p.File.EndsWith(Path.Combine("a1qoB1eERn0_0", "1.jpg")));
        Assert.Contains(problems, p => p.File.EndsWith(Path.Combine("anno", "zzz_1.txt")) && p.Message.Contains("short ground truth"));
        Assert.Contains(problems, p => p.File.EndsWith(Path.Combine("frames", "orphan_0")) && p.Message.Contains("without an annotation"));
    }
}

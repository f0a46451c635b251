using TrackSharp.Evaluation.Got10k;
using TrackSharp.Geometry;
using Xunit;
using static TrackSharp.Tests.Evaluation.GoldenMetrics;

namespace TrackSharp.Tests.Evaluation.Got10k;

/// <summary>The GOT-10k / OTB / LaSOT readers: golden/metrics/inputs layouts and malformed-input messages.</summary>
public sealed class Got10kReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracksharp-got10k-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsTheGot10kValLayout()
    {
        var seq = Got10kValDataset.Load(Inputs("datasets", "got10k", "val")).Single(s => s.Name == "invalidgt-3");
        Assert.Equal((480, 360), (seq.ImageWidth, seq.ImageHeight)); // meta_info.ini resolution: (480, 360)
        Assert.Equal(80, seq.GroundTruth.Count);
        Assert.Equal(80, seq.Cover.Count);
        Assert.True(double.IsNaN(seq.GroundTruth[40].X)); // the NaN rows f40..42 are kept
        Assert.Equal(0, seq.Cover[30]);
    }

    [Fact]
    public void ReadsOtbAndLasotLayouts()
    {
        var otb = OpeDatasetReader.ReadOtb(Inputs("datasets", "otb"), "plain-1");
        var lasot = OpeDatasetReader.ReadLasot(Inputs("datasets", "lasot"), "plain-1");
        Assert.Equal(120, otb.GroundTruth.Count);
        Assert.Equal(new BoxXywh(258, 122, 73, 60), otb.GroundTruth[0]);
        Assert.Equal(otb.GroundTruth, lasot.GroundTruth);
    }

    [Fact]
    public void MalformedBoxLineNamesFileAndLine()
    {
        string path = Path.Combine(_dir, "groundtruth.txt");
        File.WriteAllText(path, "1,2,3,4\n1,2,x,4\n");
        var ex = Assert.Throws<Got10kEvaluationException>(() => NumericTextFile.ReadBoxes(path, FieldSeparator.Comma));
        Assert.Contains($"{path}:2", ex.Message);
        Assert.Contains("'x'", ex.Message);
    }

    [Fact]
    public void WrongFieldCountNamesFileAndLine()
    {
        string path = Path.Combine(_dir, "result.txt");
        File.WriteAllText(path, "1,2,3,4\n\n1,2,3\n");
        var ex = Assert.Throws<Got10kEvaluationException>(() => NumericTextFile.ReadBoxes(path, FieldSeparator.Comma));
        Assert.Contains($"{path}:3", ex.Message);
        Assert.Contains("expected 4 values", ex.Message);
    }

    [Fact]
    public void NanAndBlankLinesAreReadLikeLoadtxt()
    {
        string path = Path.Combine(_dir, "r.txt");
        File.WriteAllText(path, "nan,NaN,1.5,-2\n\n3,4,5,6\n");
        var boxes = NumericTextFile.ReadBoxes(path, FieldSeparator.Comma);
        Assert.Equal(2, boxes.Length);
        Assert.True(double.IsNaN(boxes[0].X) && double.IsNaN(boxes[0].Y));
        Assert.Equal(-2, boxes[0].Height);
    }

    [Fact]
    public void MissingResolutionIsAnError()
    {
        string path = Path.Combine(_dir, "meta_info.ini");
        File.WriteAllText(path, "[METAINFO]\nresolution: 640x480\n");
        var ex = Assert.Throws<Got10kEvaluationException>(() => Got10kValDataset.ReadResolution(path));
        Assert.Contains($"{path}:2", ex.Message);
    }

    [Fact]
    public void MissingResultsAreRefused()
    {
        var ex = Assert.Throws<Got10kEvaluationException>(() => Got10kValReport.RepetitionFiles(_dir, "plain-1"));
        Assert.Contains("plain-1_001.txt", ex.Message);
    }
}

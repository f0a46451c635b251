using TrackSharp.Data.Datasets;
using Xunit;

namespace TrackSharp.Tests.Data.Datasets;

/// <summary>OSTrack/pytracking GOT-10k split files (0-based indices into list.txt) on a hand-made train set.</summary>
public sealed class Got10kSplitTests : IDisposable
{
    private readonly DatasetFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private SequenceDataset WriteTrainSet()
    {
        // list.txt order differs from name order: the indices follow list.txt, as pandas reads them against it.
        _fx.Text("train/list.txt", "GOT-10k_Train_000003\nGOT-10k_Train_000001\nGOT-10k_Train_000002\n");
        foreach (int i in new[] { 1, 2, 3 })
        {
            string folder = $"train/GOT-10k_Train_split_01/GOT-10k_Train_{i:D6}";
            _fx.Frames(folder, 2);
            _fx.Text(folder + "/groundtruth.txt", "1,2,3,4\n5,6,7,8\n");
        }
        return DatasetReader.Open(_fx.PathOf("train"));
    }

    [Fact]
    public void ASplitFileSelectsSequencesByListIndexInFileOrder()
    {
        var train = WriteTrainSet();
        string split = _fx.Text("specs/mine.txt", "2\n0\n\n");
        var selected = Got10kSplits.Select(train, split);
        Assert.Equal(new[] { "GOT-10k_Train_000002", "GOT-10k_Train_000003" }, selected.Sequences.Select(s => s.Name));
        Assert.Equal(DatasetFormat.Got10k, selected.Format);
        Assert.Equal(new[] { 2, 0 }, Got10kSplits.ReadIndices(split));
    }

    [Fact]
    public void SplitNamesMapToTheReferenceFileNames()
    {
        var train = WriteTrainSet();
        _fx.Text("specs/got10k_vot_train_split.txt", "1\n");
        _fx.Text("specs/got10k_vot_val_split.txt", "0\n2\n");
        _fx.Text("specs/got10k_train_full_split.txt", "0\n1\n2\n");
        Assert.Equal(new[] { "GOT-10k_Train_000001" }, Got10kSplits.Select(train, "vottrain", _fx.PathOf("specs")).Sequences.Select(s => s.Name));
        Assert.Equal(2, Got10kSplits.Select(train, "votval", _fx.PathOf("specs")).Sequences.Count);
        Assert.Equal(3, Got10kSplits.Select(train, "train_full", _fx.PathOf("specs")).Sequences.Count);
        Assert.Equal(Path.Combine("x", "got10k_val_split.txt"), Got10kSplits.PathOf("val", "x"));
        Assert.Equal(Path.Combine("x", "got10k_train_split.txt"), Got10kSplits.PathOf("train", "x"));
        var unknown = Assert.Throws<ArgumentException>(() => Got10kSplits.PathOf("vot-train", "x"));
        Assert.Contains("vottrain", unknown.Message);
    }

    [Fact]
    public void BadLinesAndIndicesPastTheListNameTheFileAndLine()
    {
        var train = WriteTrainSet();
        string bad = _fx.Text("specs/bad.txt", "0\n\n1.5\n");
        var e = Assert.Throws<DatasetFormatException>(() => Got10kSplits.Select(train, bad));
        Assert.Equal(bad, e.File);
        Assert.Equal(3, e.Line);

        string past = _fx.Text("specs/past.txt", "0\n3\n");
        e = Assert.Throws<DatasetFormatException>(() => Got10kSplits.Select(train, past));
        Assert.Equal((past, 2), (e.File, e.Line));
        Assert.Contains("3 sequences", e.Message);

        Directory.Delete(_fx.PathOf("train/GOT-10k_Train_split_01/GOT-10k_Train_000002"), recursive: true);
        string listed = _fx.Text("specs/listed.txt", "2\n");
        e = Assert.Throws<DatasetFormatException>(() => Got10kSplits.Select(DatasetReader.Open(_fx.PathOf("train")), listed));
        Assert.Equal((listed, 1), (e.File, e.Line));
        Assert.Contains("GOT-10k_Train_000002", e.Message);
    }
}

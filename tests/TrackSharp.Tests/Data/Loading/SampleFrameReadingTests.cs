using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Synthetic;
using Xunit;

namespace TrackSharp.Tests.Data.Loading;

/// <summary>
/// Frame reads for samples: a readable frame decodes as <c>ReadFrame</c> does; an undecodable or missing file becomes a
/// <see cref="FrameReadException"/> naming the sequence, the 0-based frame and the file, with the cause kept as inner
/// exception; an index outside the sequence stays an argument error (a bug, not bad data).
/// </summary>
public sealed class SampleFrameReadingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tracksharp-frame-reading-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TrackingSequence Sequence()
    {
        SyntheticDataset.Write(_root, new SyntheticOptions { Sequences = 1, Frames = 4, Width = 48, Height = 36, Seed = 1 });
        return DatasetReader.Open(_root).Sequences[0];
    }

    [Fact]
    public void AReadableFrameIsDecoded()
    {
        var sequence = Sequence();
        using var frame = sequence.ReadSampleFrame(2);
        Assert.Equal((48, 36), (frame.Width, frame.Height));
    }

    [Fact]
    public void AnUndecodableFrameNamesSequenceFrameAndFile()
    {
        var sequence = Sequence();
        string path = sequence.FramePaths[1];
        File.WriteAllBytes(path, "this is not a jpeg"u8.ToArray());
        var e = Assert.Throws<FrameReadException>(() => sequence.ReadSampleFrame(1));
        Assert.Equal(sequence.Name, e.Sequence);
        Assert.Equal(1, e.Frame);
        Assert.Equal(path, e.Path);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AMissingFrameFileIsAFrameReadException()
    {
        var sequence = Sequence();
        string path = sequence.FramePaths[3];
        File.Delete(path);
        var e = Assert.Throws<FrameReadException>(() => sequence.ReadSampleFrame(3));
        Assert.Equal(3, e.Frame);
        Assert.IsType<FileNotFoundException>(e.InnerException);
    }

    [Fact]
    public void AnIndexOutsideTheSequenceIsAnArgumentError()
    {
        var sequence = Sequence();
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.ReadSampleFrame(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.ReadSampleFrame(-1));
    }

    [Fact]
    public void AMissingImageByPathIsAFrameReadException()
    {
        string path = Path.Combine(_root, "absent.jpg");
        var e = Assert.Throws<FrameReadException>(() => SampleFrameReading.ReadSampleImage("video-a", 5, path));
        Assert.Equal(("video-a", 5, path), (e.Sequence, e.Frame, e.Path));
        Assert.IsType<FileNotFoundException>(e.InnerException);
    }
}

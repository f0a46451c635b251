using OpenCvSharp;
using TrackSharp.Imaging;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Imaging;

public class VideoTests
{
    private static string SharedVideo(string name) => Path.Combine(TestPaths.Shared, "data", "video", name);

    /// <summary>Reads every frame, checking each is valid and of the given size; returns the count.</summary>
    private static int CountValidFrames(IFrameSource source, int width, int height)
    {
        int n = 0;
        foreach (var f in source.Frames())
            using (f)
            {
                Assert.True(f.IsValid, f.Error);
                Assert.Equal(n, f.Index);
                Assert.Equal(new Size(width, height), f.Image!.Size());
                Assert.Equal(MatType.CV_8UC3, f.Image.Type());
                n++;
            }
        return n;
    }

    [Theory]
    [InlineData("bag.avi", 196, 480, 360, 25.0)]
    [InlineData("Woman.mp4", 129, 352, 288, 24.0)]
    public void RealVideo_HasAnnouncedFramesAndSize(string name, int frames, int width, int height, double fps)
    {
        using var source = FrameSources.Open(SharedVideo(name));
        var video = Assert.IsType<VideoFileSource>(source);
        Assert.Equal(frames, video.Count);
        Assert.Equal(width, video.Width);
        Assert.Equal(height, video.Height);
        Assert.Equal(fps, video.Fps!.Value, 3);
        Assert.Contains(name, video.Description);
        Assert.Equal(frames, CountValidFrames(video, width, height));
    }

    [Fact]
    public void RealVideo_EnumeratesTwiceFromTheStart()
    {
        using var source = new VideoFileSource(SharedVideo("bag.avi"));
        using (var first = source.Frames().First()) Assert.True(first.IsValid);
        Assert.Equal(196, CountValidFrames(source, 480, 360));
    }

    /// <summary>Frames whose content changes (a moving bright square) so encoders cannot treat them as one.</summary>
    private static Mat SyntheticFrame(int i, int width, int height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3, new Scalar(40, 80, 120));
        Cv2.Rectangle(m, new Rect(2 * i % (width - 8), i % (height - 8), 8, 8), Scalar.White, -1);
        return m;
    }

    [Theory]
    [InlineData("out.avi", null, "MJPG")]
    [InlineData("out.avi", "XVID", "XVID")]
    [InlineData("out.mp4", null, "mp4v")]
    public void Sink_WriteThenReopen_SameCountAndSize(string file, string? fourCC, string expectedFourCC)
    {
        using var dir = new TempDir();
        string path = dir.File(file);
        const int frames = 15, width = 96, height = 64;
        using (var sink = new VideoSink(path, fps: 10, fourCC: fourCC))
        {
            Assert.Equal(expectedFourCC, sink.FourCC);
            for (int i = 0; i < frames; i++)
                using (var f = SyntheticFrame(i, width, height))
                    sink.Write(f);
            Assert.Equal(frames, sink.FramesWritten);
            Assert.False(File.Exists(path)); // still being written under a temporary name
        }
        Assert.True(File.Exists(path));
        Assert.Equal([file], Directory.GetFiles(dir.Path).Select(Path.GetFileName)); // no temporary left

        using var source = new VideoFileSource(path);
        Assert.Equal(frames, source.Count);
        Assert.Equal(10.0, source.Fps!.Value, 3);
        Assert.Equal(frames, CountValidFrames(source, width, height));
    }

    [Fact]
    public void Sink_RejectsUnknownExtensionWrongCodecAndSizeChange()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ArgumentException>(() => new VideoSink(dir.File("x.mkv")));
        Assert.Contains(".mkv", e.Message);
        Assert.Throws<ArgumentException>(() => new VideoSink(dir.File("x.mp4"), fourCC: "MJPG"));

        using var sink = new VideoSink(dir.File("x.avi"));
        using (var a = new Mat(32, 32, MatType.CV_8UC3, Scalar.All(0))) sink.Write(a);
        using var b = new Mat(16, 32, MatType.CV_8UC3, Scalar.All(0));
        var size = Assert.Throws<ArgumentException>(() => sink.Write(b));
        Assert.Contains("32x16", size.Message);
    }

    [Fact]
    public void Sink_WithoutFrames_CreatesNothing()
    {
        using var dir = new TempDir();
        using (new VideoSink(dir.File("none.mp4"))) { }
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}

public class DamagedVideoTests(ITestOutputHelper output)
{
    [Fact]
    public void TruncatedVideo_ReportsUnreadableFramesInsteadOfEndingSilently()
    {
        using var dir = new TempDir();
        string path = dir.File("cut.avi");
        const int frames = 30;
        using (var sink = new VideoSink(path, fps: 10))
            for (int i = 0; i < frames; i++)
                using (var f = new Mat(64, 96, MatType.CV_8UC3))
                {
                    Cv2.Randu(f, 0, 256); // noise: every MJPEG frame is large, so the cut lands mid-stream
                    sink.Write(f);
                }
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        using var source = new VideoFileSource(path);
        Assert.Equal(frames, source.Count); // the header still announces every frame
        var all = new List<(int Index, string? Error)>();
        foreach (var f in source.Frames())
            using (f)
                all.Add((f.Index, f.Error));
        var errors = all.Where(f => f.Error is not null).ToList();
        output.WriteLine($"{all.Count} frames delivered, {errors.Count} unreadable");
        foreach (var e in errors) output.WriteLine(e.Error);
        Assert.NotEmpty(errors);
        int firstBad = errors[0].Index;
        Assert.InRange(firstBad, 1, frames - 1);
        Assert.Contains($"frame {firstBad} of {frames}", errors[0].Error);
        Assert.Contains("cut.avi", errors[0].Error);
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(f => f.Index));
        Assert.True(errors.Count <= 5, $"{errors.Count} errors reported");
        if (all.Count < frames)
            Assert.Contains("stopped after 5 consecutive", errors[^1].Error);
    }
}

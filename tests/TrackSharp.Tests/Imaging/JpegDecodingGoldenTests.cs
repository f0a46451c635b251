using System.Security.Cryptography;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Imaging;
using Xunit;

namespace TrackSharp.Tests.Imaging;

/// <summary>
/// Our JPEG decoder must give the reference's pixels: golden/nanotrack/frames/sequences.json → &lt;seq&gt; →
/// frames[i].decoded_sha256 is the sha256 of cv2.imread's C-contiguous HxWx3 uint8 BGR array (OpenCV 4.6).
/// </summary>
public class JpegDecodingGoldenTests
{
    private static string FramesDir => Path.Combine(TestPaths.Shared, "golden", "nanotrack", "frames");

    private static (string File, string Sha)[] Golden(string sequence)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FramesDir, "sequences.json")));
        return doc.RootElement.GetProperty(sequence).GetProperty("frames").EnumerateArray()
            .Select(f => (f.GetProperty("file").GetString()!, f.GetProperty("decoded_sha256").GetString()!))
            .ToArray();
    }

    /// <summary>sha256 of the pixels as one C-contiguous HxWx3 block (row padding of ROIs excluded).</summary>
    private static string Sha256OfPixels(Mat image)
    {
        Assert.Equal(MatType.CV_8UC3, image.Type());
        using var continuous = image.Clone(); // a clone is always continuous
        var all = new byte[image.Rows * image.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(continuous.Data, all, 0, all.Length);
        return Convert.ToHexStringLower(SHA256.HashData(all));
    }

    [Theory]
    [InlineData("tennis", 30)]
    [InlineData("bag", 50)]
    public void ImRead_MatchesReferenceDecoder(string sequence, int count)
    {
        var golden = Golden(sequence);
        Assert.Equal(count, golden.Length);
        foreach (var (file, sha) in golden)
        {
            using var img = Cv2.ImRead(Path.Combine(FramesDir, sequence, file), ImreadModes.Color);
            Assert.False(img.Empty(), file);
            Assert.True(sha == Sha256OfPixels(img), $"golden/nanotrack/frames/sequences.json {sequence}/{file}: decoded_sha256 differs");
        }
    }

    [Theory]
    [InlineData("tennis")]
    [InlineData("bag")]
    public void FolderSource_MatchesReferenceDecoder(string sequence)
    {
        var golden = Golden(sequence);
        using var source = FrameSources.Open(Path.Combine(FramesDir, sequence));
        Assert.Equal(golden.Length, source.Count);
        int i = 0;
        foreach (var frame in source.Frames())
            using (frame)
            {
                Assert.True(frame.IsValid, frame.Error);
                Assert.Equal(golden[i].File, Path.GetFileName(frame.SourcePath));
                Assert.True(golden[i].Sha == Sha256OfPixels(frame.Image!),
                    $"golden/nanotrack/frames/sequences.json {sequence}/{golden[i].File}: decoded_sha256 differs");
                i++;
            }
        Assert.Equal(golden.Length, i);
    }
}

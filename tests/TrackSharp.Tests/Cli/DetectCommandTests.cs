using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Tests.Detection;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>
/// <c>tracksharp detect</c> on golden/fcos_small's demo image (640x480) with its weights and config
/// (MIN_SIZE_TEST 256, MAX_SIZE_TEST 416 -> 256x341). The reference's input was PIL-resized and ours is OpenCV-resized,
/// so detections are compared with inference.npz <c>final/*</c> (mapped back by 640/341, 480/256) loosely: the best
/// golden detection must be found with the same label, IoU &gt; 0.9 and a close score.
/// </summary>
[Collection(CliCollection.Name)]
public class DetectCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tracksharp-detect-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Detects_on_the_golden_image_and_writes_image_and_json()
    {
        string image = FcosGolden.File("COCO_val2014_000000039769.jpg");
        var r = CliRunner.Run("detect", "--config", FcosGolden.File("config.yaml"), "--weights", FcosGolden.File("weights.pth"),
            "--input", image, "--out", _dir, "--score-threshold", "0");
        Assert.True(r.ExitCode == 0, r.Errors + r.Output);
        Assert.True(File.Exists(Path.Combine(_dir, "COCO_val2014_000000039769.jpg")));
        using var annotated = OpenCvSharp.Cv2.ImRead(Path.Combine(_dir, "COCO_val2014_000000039769.jpg"));
        Assert.Equal(640, annotated.Cols);
        Assert.Equal(480, annotated.Rows);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "detections.json")));
        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Single(images);
        var dets = images[0].GetProperty("detections").EnumerateArray().ToList();
        Assert.InRange(dets.Count, 1, 200);
        foreach (var d in dets)
        {
            var b = d.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.True(b[0] >= 0 && b[1] >= 0 && b[2] <= 640 && b[3] <= 480 && b[0] <= b[2] && b[1] <= b[3], string.Join(",", b));
        }
        // Scores are sorted, names are COCO names for this 80-class model.
        var scores = dets.Select(d => d.GetProperty("score").GetSingle()).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        long label0 = dets[0].GetProperty("label").GetInt64();
        Assert.Equal(TrackSharp.Detection.Fcos.CocoCategories.Names[(int)label0 - 1], dets[0].GetProperty("name").GetString());

        using var npz = Npz.Load(FcosGolden.File("inference.npz"));
        var golden = FcosGolden.Read(npz, "final").OrderByDescending(d => d.Score).First();
        float rx = 640f / 341f, ry = 480f / 256f;
        float[] g = { golden.X1 * rx, golden.Y1 * ry, golden.X2 * rx, golden.Y2 * ry };
        bool found = dets.Any(d =>
        {
            var b = d.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            return d.GetProperty("label").GetInt64() == golden.Label && Iou(b, g) > 0.9 &&
                   Math.Abs(d.GetProperty("score").GetSingle() - golden.Score) < 0.02;
        });
        Assert.True(found, $"golden top detection label {golden.Label} score {golden.Score} box {string.Join(",", g)} not found");
    }

    [Fact]
    public void Missing_weights_is_one_line_and_exit_code_2()
    {
        var r = CliRunner.Run("detect", "--config", FcosGolden.File("config.yaml"), "--weights", Path.Combine(_dir, "none.pth"),
            "--input", FcosGolden.File("COCO_val2014_000000039769.jpg"), "--out", _dir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("none.pth", r.Errors);
    }

    private static double Iou(float[] a, float[] b)
    {
        double iw = Math.Max(0, Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]));
        double ih = Math.Max(0, Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]));
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }
}

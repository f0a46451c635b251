using System.Text.Json;
using TrackSharp.Checkpoints;
using TrackSharp.Tests.Detection;
using Xunit;

namespace TrackSharp.Tests.Cli;

/// <summary>
/// <c>tracksharp detect</c> on golden/fcos_small's demo image (640x480) with its weights and config
/// (MIN_SIZE_TEST 256, MAX_SIZE_TEST 416 -> 256x341): outputs, boxes and names; and on the reference's own resized
/// pixels, where the detections must be inference.npz's <c>final/*</c>. (On the JPEG the reference resizes with PIL and
/// we with OpenCV; this random-weight model's scores are too sensitive to those pixel differences to compare values.)
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

    }

    [Fact]
    public void On_the_reference_resized_image_the_detections_match_inference_npz()
    {
        // The reference's own PIL-resized pixels (train_step.npz input/resized_rgb_uint8, 341x256) written as PNG: at
        // this size MinMaxResize keeps the image as is, so the network sees inference.npz's input and the detections
        // must be its final/* ones (scale 1). The 20 best are compared (the forward differs by ~1e-5 of each map,
        // which may reorder scores near the 100-detection cut).
        using var train = Npz.Load(FcosGolden.File("train_step.npz"));
        Directory.CreateDirectory(_dir);
        string png = Path.Combine(_dir, "resized.png");
        using (var rgb = new OpenCvSharp.Mat(256, 341, OpenCvSharp.MatType.CV_8UC3))
        using (var bgr = new OpenCvSharp.Mat())
        {
            System.Runtime.InteropServices.Marshal.Copy(train["input/resized_rgb_uint8"].ToByteArray(), 0, rgb.Data, 256 * 341 * 3);
            OpenCvSharp.Cv2.CvtColor(rgb, bgr, OpenCvSharp.ColorConversionCodes.RGB2BGR);
            OpenCvSharp.Cv2.ImWrite(png, bgr);
        }
        string outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run("detect", "--config", FcosGolden.File("config.yaml"), "--weights", FcosGolden.File("weights.pth"),
            "--input", png, "--out", outDir, "--score-threshold", "0");
        Assert.True(r.ExitCode == 0, r.Errors + r.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "detections.json")));
        var dets = doc.RootElement.GetProperty("images")[0].GetProperty("detections").EnumerateArray()
            .Select(d => (Box: d.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
                          Score: d.GetProperty("score").GetSingle(), Label: d.GetProperty("label").GetInt64())).ToList();
        using var npz = Npz.Load(FcosGolden.File("inference.npz"));
        foreach (var g in FcosGolden.Read(npz, "final").OrderByDescending(d => d.Score).Take(20))
        {
            bool found = dets.Any(d => d.Label == g.Label && Math.Abs(d.Score - g.Score) < 1e-4 &&
                Math.Abs(d.Box[0] - g.X1) < 0.01 && Math.Abs(d.Box[1] - g.Y1) < 0.01 &&
                Math.Abs(d.Box[2] - g.X2) < 0.01 && Math.Abs(d.Box[3] - g.Y2) < 0.01);
            Assert.True(found, $"golden detection {g} not in the CLI output");
        }
    }

    [Fact]
    public void A_folder_gives_one_annotated_image_and_one_json_entry_per_image()
    {
        string folder = Path.Combine(_dir, "frames");
        Directory.CreateDirectory(folder);
        File.Copy(FcosGolden.File("COCO_val2014_000000039769.jpg"), Path.Combine(folder, "00000001.jpg"));
        File.Copy(FcosGolden.File("COCO_val2014_000000039769.jpg"), Path.Combine(folder, "00000002.jpg"));
        string outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run("detect", "--config", FcosGolden.File("config.yaml"), "--weights", FcosGolden.File("weights.pth"),
            "--input", folder, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Errors + r.Output);
        Assert.True(File.Exists(Path.Combine(outDir, "00000001.jpg")));
        Assert.True(File.Exists(Path.Combine(outDir, "00000002.jpg")));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "detections.json")));
        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        // Same pixels, same detections; the default threshold 0.5 applies.
        Assert.Equal(images[0].GetProperty("detections").GetRawText(), images[1].GetProperty("detections").GetRawText());
        Assert.All(images[0].GetProperty("detections").EnumerateArray(), d => Assert.True(d.GetProperty("score").GetSingle() >= 0.5f));
    }

    [Fact]
    public void Missing_weights_is_one_line_and_exit_code_2()
    {
        var r = CliRunner.Run("detect", "--config", FcosGolden.File("config.yaml"), "--weights", Path.Combine(_dir, "none.pth"),
            "--input", FcosGolden.File("COCO_val2014_000000039769.jpg"), "--out", _dir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("none.pth", r.Errors);
    }
}

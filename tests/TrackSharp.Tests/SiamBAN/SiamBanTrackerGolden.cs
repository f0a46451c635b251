using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.SiamBAN;

namespace TrackSharp.Tests.SiamBAN;

/// <summary>Access to golden/siamban_small's tracker data (tennis_teacher_forced.npz, results/, meta.json; see its README).</summary>
internal sealed class SiamBanTrackerGolden : IDisposable
{
    public const string NpzName = "tennis_teacher_forced.npz";

    public Npz TeacherForced { get; }
    public JsonElement Meta { get; }

    public SiamBanTrackerGolden()
    {
        TeacherForced = Npz.Load(Path.Combine(Folder, NpzName));
        Meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "meta.json"))).RootElement;
    }

    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "siamban_small");
    public static string WeightsPath => Path.Combine(Folder, "weights.pth");
    public static string ConfigPath => Path.Combine(Folder, "config.yaml");
    public static string FramePath(string sequence, long index) =>
        Path.Combine(TestPaths.Shared, "golden", "nanotrack", "frames", sequence, $"{index:D5}.jpg");

    public float[] F32(string key) => TeacherForced[key].ToFloatArray();
    public double[] F64(string key) => TeacherForced[key].ToDoubleArray();
    public long[] I64(string key) => TeacherForced[key].ToLongArray();
    public byte[] U8(string key) => TeacherForced[key].ToByteArray();

    /// <summary>The golden small model and config.yaml's TRACK values, through the public factory.</summary>
    public static SiamBanTracker CreateTracker() => SiamBanTrackerFactory.Create(WeightsPath, ConfigPath);

    /// <summary>results/&lt;seq&gt;.txt: x,y,w,h per line (line 1 = init box).</summary>
    public static double[][] Results(string sequence) =>
        File.ReadAllLines(Path.Combine(Folder, "results", sequence + ".txt"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .ToArray();

    public static byte[] Bytes(Mat image)
    {
        using var continuous = image.Clone();
        var bytes = new byte[continuous.Total() * continuous.ElemSize()];
        Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    public static string Sha256(Mat image) => Convert.ToHexStringLower(SHA256.HashData(Bytes(image)));

    public void Dispose() => TeacherForced.Dispose();
}

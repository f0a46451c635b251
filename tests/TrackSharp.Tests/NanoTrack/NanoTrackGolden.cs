using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Trackers.NanoTrack;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>Access to ../shared/golden/nanotrack for one version (see that folder's README for every key).</summary>
internal sealed class NanoTrackGolden : IDisposable
{
    public NanoTrackVersion Version { get; }
    public Npz TeacherForced { get; }
    public JsonElement Meta { get; }

    public NanoTrackGolden(NanoTrackVersion version)
    {
        Version = version;
        TeacherForced = Npz.Load(Path.Combine(Folder, version.Name(), "tennis_teacher_forced.npz"));
        Meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, version.Name(), "meta.json"))).RootElement;
    }

    public static string Folder => Path.Combine(TestPaths.Shared, "golden", "nanotrack");
    public static string WeightsPath(NanoTrackVersion v) =>
        Path.Combine(TestPaths.Shared, "weights", "nanotrack", $"nanotrack{v.Name()}.pth");
    public static string FramePath(string sequence, long index) =>
        Path.Combine(Folder, "frames", sequence, $"{index:D5}.jpg");

    public float[] F32(string key) => TeacherForced[key].ToFloatArray();
    public double[] F64(string key) => TeacherForced[key].ToDoubleArray();
    public long[] I64(string key) => TeacherForced[key].ToLongArray();
    public byte[] U8(string key) => TeacherForced[key].ToByteArray();

    public NanoTracker CreateTracker() =>
        new(new TorchNanoTrackNetwork(NanoTrackFactory.LoadModel(WeightsPath(Version), Version)),
            NanoTrackConfig.For(Version));

    public static byte[] Bytes(Mat image)
    {
        using var continuous = image.IsContinuous() ? image.Clone() : image.Clone();
        var bytes = new byte[continuous.Total() * continuous.ElemSize()];
        Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    public static string Sha256(Mat image) => Convert.ToHexStringLower(SHA256.HashData(Bytes(image)));

    public void Dispose() => TeacherForced.Dispose();
}

using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using TrackSharp.Imaging;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// NanoTrack v2 on ONNX Runtime, using the official export pair that OpenCV's TrackerNano reads
/// (<c>nanotrack_backbone_sim.onnx</c>, <c>nanotrack_head_sim.onnx</c>).
/// <para>
/// The backbone file declares its input as a fixed 1x3x255x255, which ONNX Runtime enforces; the graph itself is
/// fully convolutional (its only Reshape nodes act on the 1x1 squeeze-excitation vectors), so the model bytes are
/// edited in memory to give the input and output symbolic height and width (see <see cref="OnnxSpatialDims"/>),
/// and one session then embeds both the 127x127 template and the 255x255 search crop.
/// </para>
/// <para>
/// Inputs and outputs live in arrays allocated once and bound to the sessions through <see cref="OrtIoBinding"/>,
/// so <see cref="Track"/> allocates nothing on the managed heap. Not thread-safe: one instance per tracker.
/// </para>
/// </summary>
public sealed class OnnxNanoTrackNetwork : INanoTrackNetwork
{
    private const int Channels = 48;
    private const int TemplateSize = 127;
    private const int SearchSize = 255;
    private const int TemplateFeatureSize = 8;
    private const int Score = 16;

    private readonly InferenceSession _backbone;
    private readonly InferenceSession _head;
    private readonly RunOptions _runOptions = new();

    private readonly float[] _templateInput = new float[3 * TemplateSize * TemplateSize];
    private readonly float[] _searchInput = new float[3 * SearchSize * SearchSize];
    private readonly float[] _templateFeatures = new float[Channels * TemplateFeatureSize * TemplateFeatureSize];
    private readonly float[] _searchFeatures = new float[Channels * Score * Score];
    private readonly float[] _cls = new float[2 * Score * Score];
    private readonly float[] _loc = new float[4 * Score * Score];

    private readonly List<IDisposable> _owned = new();
    private readonly OrtIoBinding _templateBinding;
    private readonly OrtIoBinding _searchBinding;
    private readonly OrtIoBinding _headBinding;

    private bool _hasTemplate;
    private bool _disposed;

    /// <param name="backbonePath">Path of <c>nanotrack_backbone_sim.onnx</c> (input "input", output "output").</param>
    /// <param name="headPath">Path of <c>nanotrack_head_sim.onnx</c> (inputs "input1", "input2"; outputs "output1", "output2").</param>
    /// <param name="threads">Intra-op threads of both sessions; 0 keeps ONNX Runtime's default (one per core).</param>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    /// <exception cref="InvalidDataException">A model does not have the inputs and outputs of the v2 export.</exception>
    public OnnxNanoTrackNetwork(string backbonePath, string headPath, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        foreach (var path in new[] { backbonePath, headPath })
            if (!File.Exists(path))
                throw new FileNotFoundException($"NanoTrack ONNX model not found: {path}", path);

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        try
        {
            byte[] backboneBytes = OnnxSpatialDims.MakeSpatialDimsSymbolic(File.ReadAllBytes(backbonePath), backbonePath);
            _backbone = new InferenceSession(backboneBytes, options);
            _head = new InferenceSession(headPath, options);
            RequireNames(_backbone, backbonePath, ["input"], ["output"]);
            RequireNames(_head, headPath, ["input1", "input2"], ["output1", "output2"]);

            OrtValue templateIn = Wrap(_templateInput, 3, TemplateSize);
            OrtValue searchIn = Wrap(_searchInput, 3, SearchSize);
            OrtValue zf = Wrap(_templateFeatures, Channels, TemplateFeatureSize);
            OrtValue xf = Wrap(_searchFeatures, Channels, Score);
            OrtValue cls = Wrap(_cls, 2, Score);
            OrtValue loc = Wrap(_loc, 4, Score);

            _templateBinding = Own(_backbone.CreateIoBinding());
            _templateBinding.BindInput("input", templateIn);
            _templateBinding.BindOutput("output", zf);

            _searchBinding = Own(_backbone.CreateIoBinding());
            _searchBinding.BindInput("input", searchIn);
            _searchBinding.BindOutput("output", xf);

            _headBinding = Own(_head.CreateIoBinding());
            _headBinding.BindInput("input1", zf);
            _headBinding.BindInput("input2", xf);
            _headBinding.BindOutput("output1", cls);
            _headBinding.BindOutput("output2", loc);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int ScoreSize => Score;

    /// <summary>Backbone output for the last template, [48, 8, 8] row-major (what the head receives as input1).</summary>
    public ReadOnlySpan<float> TemplateFeatures => _templateFeatures;

    /// <summary>Backbone output for the last search crop, [48, 16, 16] row-major (the head's input2).</summary>
    public ReadOnlySpan<float> SearchFeatures => _searchFeatures;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The crop is not a 127x127 CV_8UC3 image.</exception>
    public void SetTemplate(Mat templateCrop)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireCrop(templateCrop, TemplateSize, nameof(templateCrop));
        PlanarConversion.CopyToPlanarFloat(templateCrop, _templateInput);
        _backbone.RunWithBinding(_runOptions, _templateBinding);
        _hasTemplate = true;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The crop is not 255x255 CV_8UC3, or a destination is too small.</exception>
    /// <exception cref="InvalidOperationException"><see cref="SetTemplate"/> has not been called.</exception>
    public void Track(Mat searchCrop, Span<float> cls, Span<float> loc)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_hasTemplate)
            throw new InvalidOperationException("SetTemplate must be called before Track");
        RequireCrop(searchCrop, SearchSize, nameof(searchCrop));
        if (cls.Length < _cls.Length)
            throw new ArgumentException($"cls holds {cls.Length} floats, needs {_cls.Length} (2x{Score}x{Score})", nameof(cls));
        if (loc.Length < _loc.Length)
            throw new ArgumentException($"loc holds {loc.Length} floats, needs {_loc.Length} (4x{Score}x{Score})", nameof(loc));

        PlanarConversion.CopyToPlanarFloat(searchCrop, _searchInput);
        _backbone.RunWithBinding(_runOptions, _searchBinding);
        _head.RunWithBinding(_runOptions, _headBinding);
        _cls.CopyTo(cls);
        _loc.CopyTo(loc);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        for (int i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
        _owned.Clear();
        _head?.Dispose();
        _backbone?.Dispose();
        _runOptions.Dispose();
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A [1, channels, side, side] tensor over <paramref name="data"/> (ONNX Runtime pins the array).</summary>
    private OrtValue Wrap(float[] data, int channels, int side) =>
        Own(OrtValue.CreateTensorValueFromMemory(data, new long[] { 1, channels, side, side }));

    private static void RequireCrop(Mat crop, int side, string paramName)
    {
        if (crop is null || crop.Empty())
            throw new ArgumentException("crop is empty", paramName);
        if (crop.Type() != MatType.CV_8UC3 || crop.Rows != side || crop.Cols != side)
            throw new ArgumentException(
                $"expected a {side}x{side} BGR uint8 crop (CV_8UC3), got {crop.Cols}x{crop.Rows} {crop.Type()}",
                paramName);
    }

    private static void RequireNames(InferenceSession session, string path, string[] inputs, string[] outputs)
    {
        if (!session.InputNames.SequenceEqual(inputs) || !session.OutputNames.SequenceEqual(outputs))
            throw new InvalidDataException(
                $"{path}: expected inputs [{string.Join(", ", inputs)}] and outputs [{string.Join(", ", outputs)}], " +
                $"found inputs [{string.Join(", ", session.InputNames)}] and outputs [{string.Join(", ", session.OutputNames)}]");
    }
}

/// <summary>
/// Edits an ONNX model in memory so that every graph input and output of rank 4 has symbolic height and width
/// (dims 2 and 3), which lets ONNX Runtime accept other spatial sizes than the exported one. This works on the raw
/// protobuf wire format, so no ONNX schema classes are needed; only the few messages on the path are decoded.
/// <para>
/// Path edited (field numbers from onnx.proto): <c>ModelProto.graph (7)</c> → <c>GraphProto.input (11)</c> /
/// <c>output (12)</c> → <c>ValueInfoProto.type (2)</c> → <c>TypeProto.tensor_type (1)</c> →
/// <c>TypeProto.Tensor.shape (2)</c> → <c>TensorShapeProto.dim (1)</c>, where a <c>Dimension</c> holds either
/// <c>dim_value (1, varint)</c> or <c>dim_param (2, string)</c>. The graph's <c>value_info (13)</c> entries — shape
/// hints for intermediate tensors that the exporter filled with the 255-input sizes — are removed, because ONNX
/// Runtime would otherwise merge those stale static sizes into its own (symbolic) shape inference. Every other byte
/// is copied unchanged.
/// </para>
/// <para>
/// This is only valid for a graph whose computation does not bake in the spatial size (no Reshape/Resize constants
/// over spatial dims); NanoTrack's backbone qualifies: its Reshapes act on the [1, C] squeeze-excitation vectors.
/// </para>
/// </summary>
internal static class OnnxSpatialDims
{
    private const int WireVarint = 0, WireFixed64 = 1, WireLengthDelimited = 2, WireFixed32 = 5;

    /// <summary>Returns a copy of <paramref name="model"/> with symbolic spatial dims; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a model with a rank-4 graph input.</exception>
    public static byte[] MakeSpatialDimsSymbolic(byte[] model, string source)
    {
        try
        {
            int rewritten = 0;
            byte[] result = RewriteChild(model, 7, graph => RewriteGraph(graph, ref rewritten));
            if (rewritten == 0)
                throw new InvalidDataException("no rank-4 graph input or output with fixed spatial dims found");
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"{source}: cannot make the input size dynamic: {e.Message}", e);
        }
    }

    private delegate byte[] Rewriter(byte[] payload);

    private static byte[] RewriteGraph(byte[] graph, ref int rewritten)
    {
        using var output = new MemoryStream(graph.Length);
        int inputs = 0, outputs = 0;
        foreach (var field in Parse(graph))
        {
            if (field.Number == 13 && field.WireType == WireLengthDelimited)
                continue; // value_info: stale static shape hints, dropped
            if ((field.Number == 11 || field.Number == 12) && field.WireType == WireLengthDelimited)
            {
                string prefix = field.Number == 11 ? $"in{inputs++}" : $"out{outputs++}";
                byte[] valueInfo = field.Payload(graph);
                byte[] edited = RewriteChild(valueInfo, 2, type =>
                    RewriteChild(type, 1, tensor =>
                        RewriteChild(tensor, 2, shape => RewriteShape(shape, prefix))));
                if (!edited.AsSpan().SequenceEqual(valueInfo))
                    rewritten++;
                WriteLengthDelimited(output, field.Number, edited);
                continue;
            }
            output.Write(graph, field.Start, field.End - field.Start);
        }
        return output.ToArray();
    }

    /// <summary>Dims 2 and 3 of a rank-4 shape become dim_param "{prefix}_h" / "{prefix}_w"; other shapes are kept.</summary>
    private static byte[] RewriteShape(byte[] shape, string prefix)
    {
        var fields = Parse(shape);
        if (fields.Count(f => f.Number == 1) != 4)
            return shape;
        using var output = new MemoryStream(shape.Length + 32);
        int dim = 0;
        foreach (var field in fields)
        {
            int index = field.Number == 1 ? dim++ : -1;
            if (index >= 2 && field.WireType == WireLengthDelimited)
            {
                // Dimension { dim_param (2) = name }; the old dim_value (1) is dropped with the old message.
                using var dimension = new MemoryStream();
                WriteLengthDelimited(dimension, 2, System.Text.Encoding.UTF8.GetBytes(index == 2 ? $"{prefix}_h" : $"{prefix}_w"));
                WriteLengthDelimited(output, 1, dimension.ToArray());
                continue;
            }
            output.Write(shape, field.Start, field.End - field.Start);
        }
        return output.ToArray();
    }

    /// <summary>Rewrites the payload of every length-delimited field <paramref name="number"/> of a message.</summary>
    private static byte[] RewriteChild(byte[] message, int number, Rewriter rewrite)
    {
        using var output = new MemoryStream(message.Length);
        foreach (var field in Parse(message))
        {
            if (field.Number == number && field.WireType == WireLengthDelimited)
                WriteLengthDelimited(output, number, rewrite(field.Payload(message)));
            else
                output.Write(message, field.Start, field.End - field.Start);
        }
        return output.ToArray();
    }

    private readonly record struct Field(int Number, int WireType, int Start, int PayloadStart, int End)
    {
        public byte[] Payload(byte[] message) => message.AsSpan(PayloadStart, End - PayloadStart).ToArray();
    }

    /// <summary>Splits a message into its top-level fields (groups, wire types 3/4, are not used by ONNX).</summary>
    private static List<Field> Parse(byte[] message)
    {
        var fields = new List<Field>();
        int pos = 0;
        while (pos < message.Length)
        {
            int start = pos;
            ulong key = ReadVarint(message, ref pos);
            int number = (int)(key >> 3), wire = (int)(key & 7);
            int payloadStart = pos;
            switch (wire)
            {
                case WireVarint: ReadVarint(message, ref pos); break;
                case WireFixed64: pos += 8; break;
                case WireFixed32: pos += 4; break;
                case WireLengthDelimited:
                    ulong length = ReadVarint(message, ref pos);
                    if (length > (ulong)(message.Length - pos))
                        throw new InvalidDataException($"field {number} claims {length} bytes, {message.Length - pos} left");
                    payloadStart = pos;
                    pos += (int)length;
                    break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire} (field {number})");
            }
            if (pos > message.Length)
                throw new InvalidDataException($"field {number} runs past the end of its message");
            fields.Add(new Field(number, wire, start, payloadStart, pos));
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new InvalidDataException("malformed varint");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static void WriteLengthDelimited(Stream output, int number, byte[] payload)
    {
        WriteVarint(output, ((ulong)number << 3) | WireLengthDelimited);
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }
}

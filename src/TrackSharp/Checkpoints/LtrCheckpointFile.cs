using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TrackSharp.Checkpoints;

/// <summary>
/// Writes a network as pytracking's <c>ltr</c> saves it (<c>BaseTrainer.save_checkpoint</c>): a <c>torch.save</c> file
/// whose root is a dict <c>{'net': state_dict, 'epoch': N, 'net_type': ..., 'actor_type': ...}</c>, so that
/// <c>torch.load(path)['net']</c> and <c>ltr.admin.loading.load_weights</c> read it. ltr's other entries need Python
/// classes or Python-side state (<c>constructor</c>, <c>settings</c>, <c>net_info</c>, <c>stats</c>, the optimizer as a
/// Python state dict) and are left out: pytracking's <c>load_network</c>, which rebuilds the net from
/// <c>constructor</c>, cannot open the file; loading into an existing network can.
/// <para>
/// PyBridge pickles only a flat state dict, so the state dict's pickle (protocol 2, from <c>save_py</c>) is wrapped:
/// its opcodes, without PROTO and STOP, become the value of <c>'net'</c> in an outer dict built with opcodes that add no
/// memo entry, so the inner pickle's memo references stay valid. The tensor storages are copied unchanged.
/// </para>
/// </summary>
public static class LtrCheckpointFile
{
    private const byte Proto = 0x80, EmptyDict = (byte)'}', Mark = (byte)'(', BinUnicode = (byte)'X', BinInt = (byte)'J',
        SetItems = (byte)'u', Stop = (byte)'.';

    /// <summary>Writes <paramref name="net"/>'s state dict under <c>'net'</c> with the given metadata to
    /// <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">Where the file goes (a <c>torch.save</c> zip).</param>
    /// <param name="net">The network whose parameters and buffers are saved.</param>
    /// <param name="epoch">ltr's <c>epoch</c>: the 1-based number of epochs done.</param>
    /// <param name="netType">ltr's <c>net_type</c> (the network class name, e.g. <c>DiMPnet</c>).</param>
    /// <param name="actorType">ltr's <c>actor_type</c> (e.g. <c>KLDiMPActor</c>).</param>
    public static void Write(Stream stream, nn.Module net, int epoch, string netType, string actorType)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(net);
        using var flat = new MemoryStream();
        net.save_py(flat, leaveOpen: true);
        flat.Position = 0;

        using var source = new ZipArchive(flat, ZipArchiveMode.Read, leaveOpen: true);
        var pickleEntry = source.Entries.SingleOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
            ?? throw new InvalidDataException("the state dict written by save_py has no data.pkl entry");
        byte[] inner = ReadAll(pickleEntry);
        if (inner.Length < 4 || inner[0] != Proto || inner[^1] != Stop)
            throw new InvalidDataException("the state dict pickle written by save_py does not start with PROTO and end with STOP");
        int protoLength = 2; // PROTO and its version byte

        using var pickle = new MemoryStream();
        pickle.WriteByte(Proto);
        pickle.WriteByte(inner[1]);
        pickle.WriteByte(EmptyDict);
        pickle.WriteByte(Mark);
        WriteString(pickle, "net");
        pickle.Write(inner, protoLength, inner.Length - protoLength - 1);
        WriteString(pickle, "epoch");
        WriteInt(pickle, epoch);
        WriteString(pickle, "net_type");
        WriteString(pickle, netType);
        WriteString(pickle, "actor_type");
        WriteString(pickle, actorType);
        pickle.WriteByte(SetItems);
        pickle.WriteByte(Stop);

        using var target = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            using var output = target.CreateEntry(entry.FullName).Open();
            if (ReferenceEquals(entry, pickleEntry))
            {
                pickle.Position = 0;
                pickle.CopyTo(output);
            }
            else
            {
                using var input = entry.Open();
                input.CopyTo(output);
            }
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var input = entry.Open();
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void WriteString(Stream s, string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)utf8.Length);
        s.WriteByte(BinUnicode);
        s.Write(length);
        s.Write(utf8);
    }

    private static void WriteInt(Stream s, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        s.WriteByte(BinInt);
        s.Write(bytes);
    }
}

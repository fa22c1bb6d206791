// Walks a Python pickle's opcodes without executing any of them, after the opcode table of CPython's
// Lib/pickletools.py (protocols 0–5; PSF License): reads every opcode and its argument and lists the globals
// (module.name) the pickle would import. Our own code; nothing is constructed.
using System.Buffers.Binary;
using System.Text;

namespace AffectMae.Models.IO;

/// <summary>One reference of a pickle to a Python global: the callable or class an unpickler would import.</summary>
/// <param name="Name"><c>module.name</c>, e.g. <c>torch._utils._rebuild_tensor_v2</c>; <see langword="null"/> when a
/// <c>STACK_GLOBAL</c> takes its module and name from values that are not literal strings, or an <c>EXT</c> opcode
/// names a global through the copyreg extension registry (neither can be checked without running the pickle).</param>
/// <param name="Offset">Byte offset of the opcode in the pickle.</param>
/// <param name="Opcode">The opcode's name in pickletools (<c>GLOBAL</c>, <c>STACK_GLOBAL</c>, <c>INST</c>, <c>EXT1</c>…).</param>
public readonly record struct PickleGlobal(string? Name, long Offset, string Opcode);

/// <summary>
/// Lists the globals a pickle refers to by reading its opcodes only. Every global an unpickler could call or
/// construct enters through <c>GLOBAL</c>, <c>STACK_GLOBAL</c>, <c>INST</c> or the <c>EXT</c> opcodes; <c>REDUCE</c>,
/// <c>NEWOBJ</c>, <c>OBJ</c> and <c>BUILD</c> only act on objects those produced. So a pickle whose globals are all
/// on an allow-list cannot make an unpickler import anything else.
/// </summary>
public static class PickleGlobals
{
    /// <summary>Every global <paramref name="pickle"/> refers to, in order of appearance.</summary>
    /// <param name="pickle">The pickle's bytes, from the first opcode to <c>STOP</c>.</param>
    /// <returns>The references; a <see langword="null"/> name is one that cannot be checked.</returns>
    /// <exception cref="InvalidDataException">An unknown opcode, or the data ends before <c>STOP</c>.</exception>
    public static IReadOnlyList<PickleGlobal> Scan(ReadOnlySpan<byte> pickle)
    {
        var globals = new List<PickleGlobal>();
        var memo = new Dictionary<long, string?>();   // memo slot → the string stored there, or null for anything else
        string? below = null, top = null;               // the two top stack items when they are known strings

        int at = 0;
        while (true)
        {
            if (at >= pickle.Length)
                throw new InvalidDataException($"The pickle ends at byte {at} without a STOP opcode: it is truncated.");
            int offset = at;
            byte opcode = pickle[at++];
            string? pushedString = null;   // set by the opcodes that push a literal string
            bool keepsStack = false;       // true for opcodes that leave the stack as it is

            switch (opcode)
            {
                case (byte)'.':                                          // STOP
                    return globals;

                // -- globals ------------------------------------------------------------------------------------
                case (byte)'c':                                          // GLOBAL module\nname\n
                case (byte)'i':                                          // INST module\nname\n (protocol 0 object)
                {
                    string module = Line(pickle, ref at), name = Line(pickle, ref at);
                    globals.Add(new PickleGlobal($"{module}.{name}", offset, opcode == 'c' ? "GLOBAL" : "INST"));
                    break;
                }
                case 0x93:                                               // STACK_GLOBAL: module and name from the stack
                    globals.Add(new PickleGlobal(below is null || top is null ? null : $"{below}.{top}", offset, "STACK_GLOBAL"));
                    break;
                case 0x82: Skip(pickle, ref at, 1); globals.Add(new PickleGlobal(null, offset, "EXT1")); break;
                case 0x83: Skip(pickle, ref at, 2); globals.Add(new PickleGlobal(null, offset, "EXT2")); break;
                case 0x84: Skip(pickle, ref at, 4); globals.Add(new PickleGlobal(null, offset, "EXT4")); break;

                // -- strings (tracked, because STACK_GLOBAL reads its module and name from them) -----------------
                case 0x8c: pushedString = Text(pickle, ref at, Length(pickle, ref at, 1)); break;        // SHORT_BINUNICODE
                case (byte)'X': pushedString = Text(pickle, ref at, Length(pickle, ref at, 4)); break;   // BINUNICODE
                case 0x8d: pushedString = Text(pickle, ref at, Length(pickle, ref at, 8)); break;        // BINUNICODE8
                case (byte)'V': pushedString = Line(pickle, ref at); break;                             // UNICODE (raw-unicode-escape)
                case (byte)'U': pushedString = Latin1(pickle, ref at, Length(pickle, ref at, 1)); break; // SHORT_BINSTRING
                case (byte)'T': pushedString = Latin1(pickle, ref at, Length(pickle, ref at, 4)); break; // BINSTRING
                case (byte)'S': pushedString = Line(pickle, ref at); break;                             // STRING (quoted repr)

                // -- memo: remembers what it stores, so a string fetched back is still known ---------------------
                case 0x94: memo[memo.Count] = top; keepsStack = true; break;                             // MEMOIZE
                case (byte)'q': memo[Length(pickle, ref at, 1)] = top; keepsStack = true; break;        // BINPUT
                case (byte)'r': memo[Length(pickle, ref at, 4)] = top; keepsStack = true; break;        // LONG_BINPUT
                case (byte)'p': memo[MemoKey(Line(pickle, ref at), offset)] = top; keepsStack = true; break; // PUT
                case (byte)'h': pushedString = memo.GetValueOrDefault(Length(pickle, ref at, 1)); break; // BINGET
                case (byte)'j': pushedString = memo.GetValueOrDefault(Length(pickle, ref at, 4)); break; // LONG_BINGET
                case (byte)'g': pushedString = memo.GetValueOrDefault(MemoKey(Line(pickle, ref at), offset)); break; // GET

                // -- framing and protocol: no effect on the stack -----------------------------------------------
                case 0x80: Skip(pickle, ref at, 1); keepsStack = true; break;                            // PROTO
                case 0x95: Skip(pickle, ref at, 8); keepsStack = true; break;                            // FRAME (opcodes follow inline)

                // -- other opcodes with an argument ---------------------------------------------------------------
                case (byte)'K': Skip(pickle, ref at, 1); break;                                          // BININT1
                case (byte)'M': Skip(pickle, ref at, 2); break;                                          // BININT2
                case (byte)'J': Skip(pickle, ref at, 4); break;                                          // BININT
                case (byte)'G': Skip(pickle, ref at, 8); break;                                          // BINFLOAT
                case (byte)'I': case (byte)'L': case (byte)'F': case (byte)'P':                          // INT, LONG, FLOAT, PERSID
                    Line(pickle, ref at);
                    break;
                case 0x8a: Skip(pickle, ref at, Length(pickle, ref at, 1)); break;                       // LONG1
                case 0x8b: Skip(pickle, ref at, Length(pickle, ref at, 4)); break;                       // LONG4
                case (byte)'C': Skip(pickle, ref at, Length(pickle, ref at, 1)); break;                  // SHORT_BINBYTES
                case (byte)'B': Skip(pickle, ref at, Length(pickle, ref at, 4)); break;                  // BINBYTES
                case 0x8e: Skip(pickle, ref at, Length(pickle, ref at, 8)); break;                       // BINBYTES8
                case 0x96: Skip(pickle, ref at, Length(pickle, ref at, 8)); break;                       // BYTEARRAY8

                // -- opcodes without an argument -----------------------------------------------------------------
                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N':          // MARK POP POP_MARK DUP NONE
                case (byte)'Q': case (byte)'R': case (byte)'a': case (byte)'b': case (byte)'d':          // BINPERSID REDUCE APPEND BUILD DICT
                case (byte)'}': case (byte)'e': case (byte)'l': case (byte)']': case (byte)'o':          // EMPTY_DICT APPENDS LIST EMPTY_LIST OBJ
                case (byte)'s': case (byte)'t': case (byte)')': case (byte)'u':                          // SETITEM TUPLE EMPTY_TUPLE SETITEMS
                case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89:                        // NEWOBJ TUPLE1-3 NEWTRUE NEWFALSE
                case 0x8f: case 0x90: case 0x91: case 0x92: case 0x97: case 0x98:                        // EMPTY_SET ADDITEMS FROZENSET NEWOBJ_EX NEXT_BUFFER READONLY_BUFFER
                    break;

                default:
                    throw new InvalidDataException($"Unknown pickle opcode 0x{opcode:x2} at byte {offset}: the data is not a pickle (protocols 0–5) or is damaged.");
            }

            if (keepsStack) continue;
            // Any opcode but a string push leaves something on top that is not a known string (or pops).
            (below, top) = pushedString is null && !IsPush(opcode) ? (null, null) : (top, pushedString);
        }
    }

    // Opcodes that push one value and touch nothing below it: after them the old top is the second item.
    private static bool IsPush(byte opcode) => opcode is (byte)'h' or (byte)'j' or (byte)'g'
        or 0x8c or (byte)'X' or 0x8d or (byte)'V' or (byte)'U' or (byte)'T' or (byte)'S';

    private static void Skip(ReadOnlySpan<byte> pickle, ref int at, long count)
    {
        if (count < 0 || count > pickle.Length - at)
            throw new InvalidDataException($"The pickle ends inside an opcode argument at byte {at} ({count} bytes expected): it is truncated.");
        at += (int)count;
    }

    private static long Length(ReadOnlySpan<byte> pickle, ref int at, int bytes)
    {
        int start = at;
        Skip(pickle, ref at, bytes);
        var field = pickle.Slice(start, bytes);
        return bytes switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(field),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(field)),
        };
    }

    private static string Text(ReadOnlySpan<byte> pickle, ref int at, long count)
    {
        int start = at;
        Skip(pickle, ref at, count);
        return Encoding.UTF8.GetString(pickle.Slice(start, (int)count));
    }

    private static string Latin1(ReadOnlySpan<byte> pickle, ref int at, long count)
    {
        int start = at;
        Skip(pickle, ref at, count);
        return Encoding.Latin1.GetString(pickle.Slice(start, (int)count));
    }

    private static string Line(ReadOnlySpan<byte> pickle, ref int at)
    {
        int end = pickle[at..].IndexOf((byte)'\n');
        if (end < 0)
            throw new InvalidDataException($"The pickle ends inside a text argument at byte {at}: it is truncated.");
        string line = Encoding.UTF8.GetString(pickle.Slice(at, end));
        at += end + 1;
        return line;
    }

    // The decimal memo index of PUT and GET.
    private static long MemoKey(string line, int offset) =>
        long.TryParse(line, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long key) ? key
        : throw new InvalidDataException($"The memo index '{AffectMae.Core.IO.PrintableText.Quote(line)}' of the opcode at byte {offset} is not a number: the data is damaged.");
}

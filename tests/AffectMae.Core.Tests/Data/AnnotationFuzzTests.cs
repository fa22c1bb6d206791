using System.Globalization;
using System.Text;
using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

/// <summary>
/// Seeded fuzzing of the three annotation readers: valid files are mutated (bit flips, truncation, inserted bytes,
/// duplicated and deleted runs) and every outcome must be what an independent reading of the same bytes, written here
/// from ABAW_FORMATS.md, says: the same values, or an <see cref="AnnotationFormatException"/> naming the file and the
/// same line. Any other exception, a different value or a hang fails the test with the seed and bytes to replay it.
/// </summary>
public sealed class AnnotationFuzzTests : IDisposable
{
    private const int Cases = 4000;   // per task; under a second each on 2 cores
    private const int MaxLineLength = 80;   // above every header (the expression header is 59 characters)
    private static readonly string[] ExpressionNames = ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"];
    private static readonly string[] ActionUnitNames = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];
    private static readonly byte[] Interesting = "0123456789,.-+eE \t\r\n"u8.ToArray().Concat(new byte[] { 0x00, 0x1B, 0xEF, 0xBB, 0xBF, 0xC3, 0xFF, 0x80 }).ToArray();

    private readonly ScratchFolder scratch = new("affectmae-fuzz-");

    public void Dispose() => scratch.Dispose();

    public static TheoryData<AffectTask> Tasks => [AffectTask.ValenceArousal, AffectTask.Expression, AffectTask.ActionUnits];

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Mutated_files_load_as_written_or_fail_naming_the_file_and_line(AffectTask task)
    {
        string path = Path.Combine(scratch.Path, "fuzz.txt");
        Fuzz.Run(Seeds(task), Interesting, 1234 + (int)task, Cases, path, bytes =>
        {
            var expected = Reference(task, bytes, MaxLineLength);
            try
            {
                var values = Values(AnnotationReader.Read(task, path, MaxLineLength));
                return new(true, expected.Line is int line ? $"loaded, but the reference rejects line {line} ({expected.Why})"
                    : values.SequenceEqual(expected.Values) ? null : $"loaded [{string.Join(", ", values)}], the reference [{string.Join(", ", expected.Values)}]");
            }
            catch (AnnotationFormatException e)
            {
                return new(false, expected.Line is not int line ? $"threw {e.Message}, but the reference loads it"
                    : e.FilePath != path || !e.Message.StartsWith($"{path}, line {line}: ", StringComparison.Ordinal)
                        ? $"threw {e.Message}, but the reference rejects line {line} ({expected.Why})" : null);
            }
            catch (Exception e)
            {
                return new(false, $"threw {e}");
            }
        });
    }

    [Fact]
    public void A_crlf_split_across_the_read_buffer_ends_one_line()
    {
        // The header ends in CRLF; "0" lines follow until one is padded so that its '\r' is character 65535 and its
        // '\n' character 65536, the first of a new block for any read buffer of up to 64 Ki characters. A lone '\r' there
        // would count as a blank line before the last frame.
        var text = new StringBuilder(string.Join(',', ExpressionNames) + "\r\n");
        int frames = 0;
        while (text.Length < 65532) { text.Append("0\r\n"); frames++; }
        int padding = 65535 - text.Length - 1;
        text.Append('0').Append(' ', padding).Append("\r\n").Append("1\r\n");
        string path = Path.Combine(scratch.Path, "crlf.txt");
        File.WriteAllText(path, text.ToString());

        var labels = AnnotationReader.ReadExpression(path).Labels;

        (text[65535], text[65536]).Should().Be(('\r', '\n'));
        labels.Should().HaveCount(frames + 2).And.EndWith([0, 1]);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped_and_a_utf16_one_is_not_taken_for_text()
    {
        string utf8 = Path.Combine(scratch.Path, "bom8.txt"), utf16 = Path.Combine(scratch.Path, "bom16.txt");
        File.WriteAllBytes(utf8, [0xEF, 0xBB, 0xBF, .. "valence,arousal\n0.5,-0.5\n"u8]);
        File.WriteAllBytes(utf16, [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("valence,arousal\n0.5,-0.5\n")]);

        AnnotationReader.ReadValenceArousal(utf8).Values.Should().Equal(0.5f, -0.5f);
        FluentActions.Invoking(() => AnnotationReader.ReadValenceArousal(utf16)).Should().Throw<AnnotationFormatException>()
            .Which.LineNumber.Should().Be(1);
    }

    private static byte[][] Seeds(AffectTask task)
    {
        string[] files = task switch
        {
            AffectTask.ValenceArousal => ["valence,arousal\n0.5,-0.25\n-5,-5\n1,-1\n", "Valence , Arousal\r\n0.125,0.75\r\n-0.5, 0.5 \r\n\r\n", "valence,arousal\n-1e-3,3E-1\n"],
            AffectTask.Expression => [string.Join(',', ExpressionNames) + "\n0\n7\n-1\n3\n", string.Join(", ", ExpressionNames).ToLowerInvariant() + "\r\n5\r\n 2 \r\n"],
            _ => [string.Join(',', ActionUnitNames) + "\n0,1,0,0,1,1,0,0,0,1,0,1\n-1\n-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1\n", string.Join(',', ActionUnitNames) + "\r\n1,1,1,1,1,1,1,1,1,1,1,1\r\n"],
        };
        return [.. files.Select(Encoding.UTF8.GetBytes), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(files[0])]];
    }

    private static double[] Values(VideoAnnotation annotation) => annotation switch
    {
        ValenceArousalAnnotation va => [.. va.Values.Select(v => (double)v)],
        ExpressionAnnotation expr => [.. expr.Labels.Select(v => (double)v)],
        ActionUnitAnnotation au => [.. au.Values.Select(v => (double)v)],
        _ => throw new ArgumentException("Unknown annotation type."),
    };

    private sealed record Expected(double[] Values, int? Line, string Why);

    /// <summary>The format read straight from ABAW_FORMATS.md, with the tolerances the reader documents.</summary>
    private static Expected Reference(AffectTask task, byte[] bytes, int maxLineLength)
    {
        static Expected Reject(int line, string why) => new([], line, why);
        int skip = bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text = new UTF8Encoding(false, false).GetString(bytes, skip, bytes.Length - skip);
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').ToList();
        if (text.EndsWith('\n') || text.EndsWith('\r')) lines.RemoveAt(lines.Count - 1);   // a final line break ends the last line
        if (text.Length == 0) lines.Clear();

        string[] header = task switch
        {
            AffectTask.ValenceArousal => ["valence", "arousal"],
            AffectTask.Expression => ExpressionNames,
            _ => ActionUnitNames,
        };
        if (lines.Count == 0) return Reject(1, "empty");
        if (lines[0].Length > maxLineLength) return Reject(1, "long header");
        var names = lines[0].Trim().Split(',');
        if (names.Length != header.Length || names.Zip(header).Any(p => !string.Equals(p.First.Trim(), p.Second, StringComparison.OrdinalIgnoreCase)))
            return Reject(1, "header");

        var values = new List<double>();
        int firstBlank = 0, data = 0;
        for (int i = 1; i < lines.Count; i++)
        {
            int number = i + 1;
            if (lines[i].Length > maxLineLength) return Reject(number, "long line");
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                if (firstBlank == 0) firstBlank = number;
                continue;
            }
            if (firstBlank != 0) return Reject(firstBlank, "blank line before data");
            data++;
            var fields = line.Split(',');
            switch (task)
            {
                case AffectTask.ValenceArousal:
                    if (fields.Length != 2) return Reject(number, "field count");
                    foreach (string field in fields)
                    {
                        if (!float.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v) || v > 1)
                            return Reject(number, "value");
                        values.Add(v);
                    }
                    break;
                case AffectTask.Expression:
                    if (fields.Length != 1 || !int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label is < -1 or > 7)
                        return Reject(number, "class");
                    values.Add(label);
                    break;
                default:
                    if (line == "-1")
                    {
                        values.AddRange(Enumerable.Repeat(-1.0, 12));
                        break;
                    }
                    if (fields.Length != 12) return Reject(number, "field count");
                    foreach (string field in fields)
                    {
                        if (!int.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int unit) || unit is < -1 or > 1)
                            return Reject(number, "unit");
                        values.Add(unit);
                    }
                    break;
            }
        }
        return data == 0 ? Reject(2, "header only") : new Expected([.. values], null, "");
    }
}

// Writes annotation files in the exact ABAW format that AnnotationReader reads (header, then one line per frame), so
// tests and synthetic-data generators can build training folders; writer → reader is a lossless round trip.
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>Writes per-video annotation files in the ABAW format, atomically (temporary file, then rename).</summary>
/// <remarks>
/// The file name, not the record, carries the video name: write to <c>&lt;video&gt;.txt</c>, e.g. via
/// <see cref="AbawLayout.AnnotationPath"/>. Lines end in <c>\n</c>; floats use the shortest form that reads back
/// to the same value.
/// </remarks>
public static class AnnotationWriter
{
    /// <summary>Writes <c>valence,arousal</c> then one <c>v,a</c> line per frame (unlabelled values as stored, e.g. −5).</summary>
    /// <param name="path">The file to create or replace; its folder is created if needed.</param>
    /// <param name="annotation">The values.</param>
    /// <exception cref="ArgumentException">The record has no frames (the reader refuses a header-only file).</exception>
    public static void Write(string path, ValenceArousalAnnotation annotation)
    {
        ThrowIfNoFrames(annotation);
        AtomicTextFile.Write(path, writer =>
        {
            writer.WriteLine(string.Join(',', AnnotationReader.ValenceArousalHeader));
            var values = annotation.Values;
            for (int i = 0; i < values.Length; i += ValenceArousalAnnotation.Columns)
            {
                writer.WriteInvariant(values[i]);
                writer.Write(',');
                writer.WriteInvariant(values[i + 1]);
                writer.WriteLine();
            }
        });
    }

    /// <summary>Writes <c>Neutral,Anger,…,Other</c> then one class index (or −1) per line.</summary>
    /// <param name="path">The file to create or replace; its folder is created if needed.</param>
    /// <param name="annotation">The labels.</param>
    /// <exception cref="ArgumentException">The record has no frames (the reader refuses a header-only file).</exception>
    public static void Write(string path, ExpressionAnnotation annotation)
    {
        ThrowIfNoFrames(annotation);
        AtomicTextFile.Write(path, writer =>
        {
            writer.WriteLine(string.Join(',', AffectLabels.ExpressionNames));
            foreach (int label in annotation.Labels)
            {
                writer.WriteInvariant(label);
                writer.WriteLine();
            }
        });
    }

    /// <summary>Writes <c>AU1,AU2,…,AU26</c> then twelve comma-separated values (0, 1 or −1) per line.</summary>
    /// <param name="path">The file to create or replace; its folder is created if needed.</param>
    /// <param name="annotation">The values.</param>
    /// <exception cref="ArgumentException">The record has no frames (the reader refuses a header-only file).</exception>
    public static void Write(string path, ActionUnitAnnotation annotation)
    {
        ThrowIfNoFrames(annotation);
        AtomicTextFile.Write(path, writer =>
        {
            writer.WriteLine(string.Join(',', AffectLabels.ActionUnitNames));
            var values = annotation.Values;
            for (int i = 0; i < values.Length; i++)
            {
                writer.WriteInvariant(values[i]);
                if ((i + 1) % ActionUnitAnnotation.Columns == 0) writer.WriteLine();
                else writer.Write(',');
            }
        });
    }

    /// <summary>Writes any annotation record in its task's format.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="annotation">A <see cref="ValenceArousalAnnotation"/>, <see cref="ExpressionAnnotation"/> or <see cref="ActionUnitAnnotation"/>.</param>
    public static void Write(string path, VideoAnnotation annotation)
    {
        switch (annotation)
        {
            case ValenceArousalAnnotation va: Write(path, va); break;
            case ExpressionAnnotation expr: Write(path, expr); break;
            case ActionUnitAnnotation au: Write(path, au); break;
            case null: throw new ArgumentNullException(nameof(annotation));
            default: throw new ArgumentException($"Unknown annotation type {annotation.GetType().Name}.", nameof(annotation));
        }
    }

    private static void ThrowIfNoFrames(VideoAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        if (annotation.FrameCount == 0)
            throw new ArgumentException($"Video '{annotation.Video}' has no frames; an annotation file needs at least one data line.", nameof(annotation));
    }

    /// <summary>The task whose format an annotation record is written in.</summary>
    /// <param name="annotation">The record.</param>
    /// <returns>The matching <see cref="AffectTask"/>.</returns>
    public static AffectTask TaskOf(VideoAnnotation annotation) => annotation switch
    {
        ValenceArousalAnnotation => AffectTask.ValenceArousal,
        ExpressionAnnotation => AffectTask.Expression,
        ActionUnitAnnotation => AffectTask.ActionUnits,
        null => throw new ArgumentNullException(nameof(annotation)),
        _ => throw new ArgumentException($"Unknown annotation type {annotation.GetType().Name}.", nameof(annotation)),
    };
}

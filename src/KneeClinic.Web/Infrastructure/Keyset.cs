using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Where a list page starts: nothing (the first page), just after or just before a row named by its id, or the last page.
/// The id is a record's key, never a value of it, so an address or a form holds no patient data.
/// </summary>
public abstract class PagedRequest
{
    /// <summary>The page that follows the row with this id.</summary>
    [StringLength(40)]
    public string? After { get; set; }

    /// <summary>The page that comes before the row with this id.</summary>
    [StringLength(40)]
    public string? Before { get; set; }

    /// <summary>The last page (the first one of the reverse order).</summary>
    public bool Last { get; set; }
}

/// <summary>One page of a list in seek order, and whether there is more on either side.</summary>
public sealed record KeysetPage<TRow>(IReadOnlyList<TRow> Rows, bool HasPrevious, bool HasNext, bool CursorLost = false);

public static class KeysetPage
{
    /// <summary>No rows: what a list shows when its filter cannot be run.</summary>
    public static KeysetPage<TRow> Empty<TRow>() => new([], false, false);
}

/// <summary>
/// Seek ("keyset") paging: a list is ordered by keys ending in a unique one, and a page is the first rows beyond a given
/// row's keys, <c>WHERE (k1 &gt; @a) OR (k1 = @a AND k2 &gt; @b) ...</c>, so page 2,000 costs what page 1 costs (no OFFSET
/// that reads and drops every row before it), and rows added or removed meanwhile never make a row repeat or vanish.
/// The row a cursor names is read first by its id: one small query by primary key, so a page is always two commands
/// at most.
/// </summary>
public static class Keyset
{
    public static KeysetOrder<T> OrderBy<T, TKey>(IQueryable<T> query, Expression<Func<T, TKey>> key, bool descending = false)
    {
        _ = query; // names T, which may be anonymous
        return new KeysetOrder<T>([new(key, descending)]);
    }

    /// <summary>
    /// The page <paramref name="request"/> asks for: <paramref name="size"/> rows of <paramref name="query"/> in
    /// <paramref name="order"/>, projected by <paramref name="select"/>. <paramref name="id"/> names the row a cursor
    /// holds; <paramref name="parse"/> reads a cursor, and a text that is not one or a cursor whose row is gone gives the
    /// first page with <see cref="KeysetPage{TRow}.CursorLost"/>.
    /// </summary>
    public static async Task<KeysetPage<TRow>> PageAsync<T, TId, TRow>(IQueryable<T> query, KeysetOrder<T> order,
        Expression<Func<T, TId>> id, CursorParser<TId> parse, PagedRequest request, int size, Expression<Func<T, TRow>> select,
        CancellationToken cancellationToken = default)
    {
        var backward = request.Last;
        var filtered = query;
        var lost = false;
        var cursor = request.After ?? request.Before;
        if (!request.Last && !string.IsNullOrEmpty(cursor))
        {
            backward = request.After is null;
            var anchor = parse(cursor, out var anchorId)
                ? await query.Where(Equal(id, anchorId)).Select(order.Keys()).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (anchor is null) { lost = true; backward = false; }
            else filtered = query.Where(order.Beyond(anchor, backward));
        }

        var rows = await order.Apply(filtered, backward).Take(size + 1).Select(select).ToListAsync(cancellationToken);
        var more = rows.Count > size;
        if (more) rows.RemoveAt(size);
        if (backward) rows.Reverse();
        var moved = !lost && (request.Last || !string.IsNullOrEmpty(cursor));
        return backward
            ? new KeysetPage<TRow>(rows, more, !request.Last && moved)
            : new KeysetPage<TRow>(rows, moved, more, lost);
    }

    /// <summary>How many rows match, up to <paramref name="cap"/>: a person needs "more than 1,000", not the exact size of the table.</summary>
    public static Task<int> CountUpToAsync<T>(IQueryable<T> query, int cap, CancellationToken cancellationToken = default) =>
        query.Take(cap + 1).CountAsync(cancellationToken);

    private static Expression<Func<T, bool>> Equal<T, TId>(Expression<Func<T, TId>> id, TId value) =>
        Expression.Lambda<Func<T, bool>>(Expression.Equal(id.Body, Parameter(value, typeof(TId))), id.Parameters);

    /// <summary>A value EF sends as a parameter (a member of a captured object), never spliced into the SQL text.</summary>
    internal static Expression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), nameof(StrongBox<int>.Value));
    }
}

/// <summary>Reads a cursor from a link or a form: false when the text is not an id of the list.</summary>
public delegate bool CursorParser<TId>(string text, out TId id);

public sealed record KeysetKey(LambdaExpression Key, bool Descending);

/// <summary>A list's sort keys, the last of them unique (an id or a sequence number).</summary>
public sealed class KeysetOrder<T>(IReadOnlyList<KeysetKey> keys)
{
    private static readonly System.Reflection.MethodInfo Compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public KeysetOrder<T> ThenBy<TKey>(Expression<Func<T, TKey>> key, bool descending = false) => new([.. keys, new(key, descending)]);

    public IQueryable<T> Apply(IQueryable<T> query, bool reverse)
    {
        var expression = query.Expression;
        for (var i = 0; i < keys.Count; i++)
        {
            var descending = keys[i].Descending != reverse;
            var method = (i, descending) switch
            {
                (0, false) => nameof(Queryable.OrderBy),
                (0, true) => nameof(Queryable.OrderByDescending),
                (_, false) => nameof(Queryable.ThenBy),
                (_, true) => nameof(Queryable.ThenByDescending),
            };
            expression = Expression.Call(typeof(Queryable), method, [typeof(T), keys[i].Key.ReturnType], expression, Expression.Quote(keys[i].Key));
        }
        return query.Provider.CreateQuery<T>(expression);
    }

    /// <summary>The keys of a row, read as one small array.</summary>
    internal Expression<Func<T, object?[]>> Keys()
    {
        var row = Expression.Parameter(typeof(T), "row");
        return Expression.Lambda<Func<T, object?[]>>(
            Expression.NewArrayInit(typeof(object), keys.Select(k => Expression.Convert(Body(k, row), typeof(object)))), row);
    }

    /// <summary>The rows after <paramref name="anchor"/>'s keys in this order, or before them when <paramref name="reverse"/>.</summary>
    internal Expression<Func<T, bool>> Beyond(object?[] anchor, bool reverse)
    {
        var row = Expression.Parameter(typeof(T), "row");
        Expression? any = null;
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            var column = Body(keys[i], row);
            var value = Keyset.Parameter(anchor[i], column.Type);
            var greater = keys[i].Descending == reverse;
            // (k1 > a) OR (k1 = a AND (k2 > b OR (k2 = b AND ...)))
            any = any is null
                ? Comparison(column, value, greater ? ExpressionType.GreaterThan : ExpressionType.LessThan)
                : Expression.OrElse(Comparison(column, value, greater ? ExpressionType.GreaterThan : ExpressionType.LessThan),
                    Expression.AndAlso(Expression.Equal(column, value), any));
            // The first key again as a plain range (k1 >= a): what lets the database seek in its index to the anchor and read
            // on from there, where the OR alone would have it read the index from its start.
            if (i == 0)
                any = Expression.AndAlso(Comparison(column, value, greater ? ExpressionType.GreaterThanOrEqual : ExpressionType.LessThanOrEqual), any);
        }
        return Expression.Lambda<Func<T, bool>>(any!, row);
    }

    /// <summary>
    /// <paramref name="column"/> compared with <paramref name="value"/> as SQL compares them: strings through
    /// <see cref="string.Compare(string, string)"/> (how LINQ spells SQL's &gt; on text), Guids through CompareTo,
    /// the rest through their operators.
    /// </summary>
    private static BinaryExpression Comparison(Expression column, Expression value, ExpressionType type)
    {
        if (column.Type == typeof(string))
            return Expression.MakeBinary(type, Expression.Call(Compare, column, value), Expression.Constant(0));
        if (column.Type == typeof(Guid))
            return Expression.MakeBinary(type, Expression.Call(column, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, value),
                Expression.Constant(0));
        return Expression.MakeBinary(type, column, value);
    }

    private static Expression Body(KeysetKey key, ParameterExpression row) =>
        new Rebind(key.Key.Parameters[0], row).Visit(key.Key.Body);

    private sealed class Rebind(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

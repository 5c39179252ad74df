import { Card, Col, Row, Table } from 'antd';
import type { ReactNode } from 'react';
import type { Cell, Table as FigureRows } from '@shared/analytics-tables';

/** A chart's figures as a table, under the same headers as the CSV; an empty cell reads 「—」. */
export function FigureTable({ label, table }: { label: string; table: FigureRows }) {
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      scroll={{ x: true }}
      aria-label={label}
      dataSource={table.rows.map((row, i) => ({ key: i, row }))}
      columns={table.columns.map((title, i) => ({ title, key: title, render: (_: unknown, { row }: { row: Cell[] }) => row[i] ?? '—' }))}
    />
  );
}

/** A chart with its table beside it (the table alone when there is nothing to draw); `children` below both. */
export function Figure({ title, chart, table, extra, children }: { title: string; chart?: ReactNode; table: FigureRows; extra?: ReactNode; children?: ReactNode }) {
  return (
    <Card title={title} size="small" extra={extra}>
      {chart ? (
        <Row gutter={16}>
          <Col xs={24} xl={11}>
            {chart}
          </Col>
          <Col xs={24} xl={13}>
            <FigureTable label={`${title}明细`} table={table} />
          </Col>
        </Row>
      ) : (
        <FigureTable label={`${title}明细`} table={table} />
      )}
      {children}
    </Card>
  );
}

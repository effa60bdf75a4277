import { loadPollsConfig } from './polls.config';

describe('loadPollsConfig', () => {
  it('defaults to DynamoDB Local on :8100, us-east-1, tables polls and votes', () => {
    expect(loadPollsConfig({})).toMatchObject({
      PORT: 5401,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8100',
      AWS_REGION: 'us-east-1',
      POLLS_TABLE: 'polls',
      VOTES_TABLE: 'votes',
    });
  });

  it("follows .env's DYNAMODB_PORT unless an endpoint is given", () => {
    expect(loadPollsConfig({ DYNAMODB_PORT: '8200' }).DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:8200');
    expect(
      loadPollsConfig({ DYNAMODB_PORT: '8200', DYNAMODB_ENDPOINT: 'http://h:1/' }).DYNAMODB_ENDPOINT,
    ).toBe('http://h:1');
  });

  it('means Amazon DynamoDB when the endpoint is set empty', () => {
    expect(
      loadPollsConfig({ DYNAMODB_PORT: '8100', DYNAMODB_ENDPOINT: '' }).DYNAMODB_ENDPOINT,
    ).toBeUndefined();
  });

  it('refuses a bad endpoint or table name', () => {
    expect(() => loadPollsConfig({ DYNAMODB_ENDPOINT: 'ftp://x' })).toThrow(/DYNAMODB_ENDPOINT/);
    expect(() => loadPollsConfig({ POLLS_TABLE: 'a b' })).toThrow(/POLLS_TABLE/);
  });
});
